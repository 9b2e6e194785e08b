//! `Action` / `NotAction` entries: service prefixes and action names against the catalog, and
//! redundant entries.

use std::collections::HashMap;

use super::suggest::closest;
use super::variables::{Place, report};
use super::{Ctx, Stmt, StrItem};
use crate::catalog::Catalog;
use crate::catalog::glob::{covers, has_wildcard, matches_ignore_case};
use crate::validate::FindingType::{Error, Suggestion};

pub(super) fn check(ctx: &mut Ctx, stmt: &Stmt<'_>) {
    let Some(list) = &stmt.action else {
        return;
    };
    for item in &list.items {
        check_item(ctx, stmt, list.name, item);
    }
    redundant(ctx, stmt, &list.items);
}

fn check_item(ctx: &mut Ctx, stmt: &Stmt<'_>, element: &str, item: &StrItem<'_>) {
    let text = item.value;
    let place = Place {
        stmt: stmt.index,
        path: &item.path,
        span: item.span,
        element,
        allowed: false,
    };
    if text == "*" || report(ctx, text, &place) {
        return;
    }
    let mut error = |code: &'static str, message: String| {
        ctx.push(
            Error,
            code,
            message,
            Some(stmt.index),
            item.path.clone(),
            item.span,
        );
    };
    let Some((service, name)) = text.split_once(':') else {
        error(
            "INVALID_ACTION",
            format!(
                "the action `{text}` has no service prefix; write it as `service:ActionName`, e.g. `s3:GetObject`"
            ),
        );
        return;
    };
    if name.contains(':') {
        error(
            "INVALID_ACTION",
            format!("the action `{text}` has more than one `:`; write it as `service:ActionName`"),
        );
        return;
    }
    let catalog = Catalog::get();
    if has_wildcard(service) {
        ctx.push(
            Suggestion,
            "WILDCARD_IN_SERVICE_NAME",
            format!("avoid wildcards in the service name `{service}` of `{text}`: they may grant access to other services with similar names; name the service"),
            Some(stmt.index),
            item.path.clone(),
            item.span,
        );
        return;
    }
    let Some(svc) = catalog.service(service) else {
        let hint = closest(service, catalog.services().iter().map(|s| s.prefix))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_else(|| "; use a valid service prefix".to_owned());
        error(
            "INVALID_SERVICE_IN_ACTION",
            format!("the service `{service}` in the action `{text}` does not exist{hint}"),
        );
        return;
    };
    if has_wildcard(name) {
        if !svc
            .actions
            .iter()
            .any(|a| matches_ignore_case(name, a.name))
        {
            error(
                "INVALID_ACTION",
                format!(
                    "the action pattern `{text}` matches no action of the service `{}`; fix the pattern",
                    svc.prefix
                ),
            );
        }
        return;
    }
    if svc.action(name).is_none() {
        let hint = closest(name, svc.actions.iter().map(|a| a.name))
            .map(|a| format!("; did you mean `{}:{a}`?", svc.prefix))
            .unwrap_or_else(|| format!("; use an action of the service `{}`", svc.prefix));
        error(
            "INVALID_ACTION",
            format!("the action `{text}` does not exist{hint}"),
        );
    }
}

/// An entry is redundant when another entry of the same element covers it (`s3:*` covers
/// `s3:GetObject`), or when it repeats an earlier entry.
fn redundant(ctx: &mut Ctx, stmt: &Stmt<'_>, items: &[StrItem<'_>]) {
    // Only entries of the same service (or with a wildcard service) can cover each other, so the
    // wildcard entries are grouped by lowercased service.
    let service = |v: &str| v.split_once(':').map_or(v, |(s, _)| s).to_ascii_lowercase();
    let mut by_service: HashMap<String, Vec<(usize, &StrItem<'_>)>> = HashMap::new();
    let mut any_service: Vec<(usize, &StrItem<'_>)> = Vec::new();
    for (j, g) in items
        .iter()
        .enumerate()
        .filter(|(_, g)| has_wildcard(g.value))
    {
        let s = service(g.value);
        if has_wildcard(&s) {
            any_service.push((j, g));
        } else {
            by_service.entry(s).or_default().push((j, g));
        }
    }
    let mut seen: HashMap<String, &StrItem<'_>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let lower = item.value.to_ascii_lowercase();
        let repeated = seen.get(&lower).copied();
        seen.entry(lower).or_insert(item);
        let own = by_service
            .get(&service(item.value))
            .map_or(&[][..], Vec::as_slice);
        let by = repeated.or_else(|| {
            own.iter()
                .chain(&any_service)
                .find(|(j, g)| {
                    *j != i
                        && !g.value.eq_ignore_ascii_case(item.value)
                        && covers(g.value, item.value, true)
                })
                .map(|(_, g)| *g)
        });
        if let Some(by) = by {
            ctx.push(
                Suggestion,
                "REDUNDANT_ACTION",
                format!(
                    "the action `{}` is redundant because `{}` already covers it; remove `{}`",
                    item.value, by.value, item.value
                ),
                Some(stmt.index),
                item.path.clone(),
                item.span,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::validate;

    fn message(action: &str) -> String {
        let src = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"{action}","Resource":"*"}}]}}"#
        );
        validate(&src)
            .findings
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn suggests_the_closest_action_and_service() {
        assert!(message("s3:GetObjct").contains("did you mean `s3:GetObject`?"));
        assert!(message("iam:listusers2").contains("did you mean `iam:ListUsers`?"));
        assert!(message("s4:GetObject").contains("did you mean `s3`?"));
        assert!(message("ec2:DescribeInstancez").contains("did you mean `ec2:DescribeInstances`?"));
    }
}
