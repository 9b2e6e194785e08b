//! `Resource` / `NotResource` entries: ARN formats against the catalog, policy variables and
//! redundant entries.

use super::arn::check_resource;
use super::variables::{Place, report};
use super::{Ctx, Stmt, StrItem};
use crate::catalog::glob::{covers, has_wildcard};
use crate::validate::FindingType::Suggestion;

pub(super) fn check(ctx: &mut Ctx, stmt: &Stmt<'_>) {
    let Some(list) = &stmt.resource else {
        return;
    };
    for item in &list.items {
        let place = Place {
            stmt: stmt.index,
            path: &item.path,
            span: item.span,
            element: list.name,
            allowed: true,
        };
        report(ctx, item.value, &place);
        if let Some(problem) = check_resource(item.value) {
            ctx.push(
                problem.finding_type,
                problem.code,
                problem.message,
                Some(stmt.index),
                item.path.clone(),
                item.span,
            );
        }
    }
    redundant(ctx, stmt, &list.items);
}

/// An entry is redundant when another entry covers it (`arn:aws:s3:::b/*` covers
/// `arn:aws:s3:::b/x`), or repeats an earlier one. Resource ids are case-sensitive.
fn redundant(ctx: &mut Ctx, stmt: &Stmt<'_>, items: &[StrItem<'_>]) {
    for (i, item) in items.iter().enumerate() {
        let by = items
            .iter()
            .take(i)
            .find(|e| e.value == item.value)
            .or_else(|| {
                items.iter().enumerate().find_map(|(j, g)| {
                    (j != i
                        && g.value != item.value
                        && has_wildcard(g.value)
                        && covers(g.value, item.value, false))
                    .then_some(g)
                })
            });
        if let Some(by) = by {
            ctx.push(
                Suggestion,
                "REDUNDANT_RESOURCE",
                format!(
                    "the resource `{}` is redundant because `{}` already covers it; remove `{}`",
                    item.value, by.value, item.value
                ),
                Some(stmt.index),
                item.path.clone(),
                item.span,
            );
        }
    }
}
