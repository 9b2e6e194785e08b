//! Arbitrary UTF-8 through parse, compile and evaluate: nothing may panic, overflow the stack
//! or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy::{CompiledPolicySet, Request, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let doc = match parse(src) {
        Ok(doc) => doc,
        Err(e) => {
            // Errors must point inside the input.
            assert!(e.span.start.offset <= src.len() && e.span.end.offset <= src.len());
            assert!(src.is_char_boundary(e.span.start.offset));
            return;
        }
    };
    let set = CompiledPolicySet::new(&[("fuzz", &doc)], Some(&doc));
    // Requests built from the document's own strings reach the deep matching paths.
    let mut strings: Vec<&str> = vec!["*", "s3:GetObject", "arn:aws:s3:::bucket/key"];
    for s in &doc.statements {
        strings.extend(s.action.patterns.iter().map(|p| p.value.as_str()));
        strings.extend(s.resource.patterns.iter().map(|p| p.value.as_str()));
        for c in &s.condition {
            strings.extend(c.values.iter().map(|v| v.text.as_str()));
        }
    }
    strings.truncate(16);
    for (i, action) in strings.iter().enumerate() {
        let resource = strings[(i * 7 + 3) % strings.len()];
        let mut request = Request::new(*action, resource);
        for s in &doc.statements {
            for (j, c) in s.condition.iter().enumerate() {
                let v = strings[(i + j) % strings.len()];
                if j % 2 == 0 {
                    request.context.insert(&c.key.value, v);
                } else {
                    request.context.insert(&c.key.value, vec![v, resource]);
                }
            }
        }
        request.context.insert("aws:username", *action);
        let _ = set.evaluate(&request);
    }
});
