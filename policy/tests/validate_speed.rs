//! Validation runs in the browser on every keystroke: a policy near the 6,144-character quota must
//! validate in a few milliseconds once the catalog is loaded. Run with
//! `cargo test -p policy --release --test validate_speed -- --ignored --nocapture`; timings in a
//! debug build are not meaningful, so the test is ignored by default.
#![cfg(feature = "managed-policies")]

use std::time::Instant;

use policy::catalog::Catalog;
use policy::managed;
use policy::validate::validate;

#[test]
#[ignore = "timing; run in release"]
fn six_kilobyte_policies_validate_in_milliseconds() {
    let start = Instant::now();
    let catalog = Catalog::get();
    println!(
        "catalog load: {:?} ({} services)",
        start.elapsed(),
        catalog.services().len()
    );
    let _ = validate("{}");
    // The AWS managed policies closest to the managed-policy quota.
    let mut near: Vec<_> = managed::all()
        .iter()
        .filter(|p| (5_000..=6_144).contains(&p.document.len()))
        .collect();
    near.sort_by_key(|p| std::cmp::Reverse(p.document.len()));
    near.truncate(20);
    let mut worst = (0.0f64, "");
    for p in &near {
        let runs = 20;
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(validate(p.document));
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        if ms > worst.0 {
            worst = (ms, p.name);
        }
        println!("{:6.3} ms  {:5} chars  {}", ms, p.document.len(), p.name);
    }
    println!("worst: {:.3} ms ({})", worst.0, worst.1);
    assert!(worst.0 < 20.0, "validation too slow: {worst:?}");
}
