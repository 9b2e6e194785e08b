//! The `Condition` block: `{ operator: { key: value | [values] } }`.

use crate::error::ParseError;
use crate::json::{Json, JsonKind};
use crate::model::{ConditionEntry, ConditionValue, Operator, ScalarKind};
use crate::span::Spanned;

pub(super) fn parse_condition(json: &Json) -> Result<Vec<ConditionEntry>, ParseError> {
    let JsonKind::Object(operators) = &json.kind else {
        return Err(ParseError::new(
            format!(
                "`Condition` must be an object of `{{\"Operator\": {{\"key\": values}}}}`, found {}",
                json.describe()
            ),
            json.span,
        ));
    };
    let mut entries = Vec::new();
    for op in operators {
        let operator = Spanned::new(Operator::parse(&op.key.value), op.key.span);
        let JsonKind::Object(keys) = &op.value.kind else {
            return Err(ParseError::new(
                format!(
                    "the value of condition operator `{}` must be an object of `{{\"key\": values}}`, found {}",
                    op.key.value,
                    op.value.describe()
                ),
                op.value.span,
            ));
        };
        for k in keys {
            let (values, values_are_array) = match &k.value.kind {
                JsonKind::Array(items) => (
                    items
                        .iter()
                        .map(|item| scalar(item, &k.key.value))
                        .collect::<Result<Vec<_>, _>>()?,
                    true,
                ),
                _ => (vec![scalar(&k.value, &k.key.value)?], false),
            };
            entries.push(ConditionEntry {
                operator: operator.clone(),
                key: k.key.clone(),
                values,
                values_are_array,
                values_span: k.value.span,
            });
        }
    }
    Ok(entries)
}

fn scalar(json: &Json, key: &str) -> Result<ConditionValue, ParseError> {
    let (text, kind) = match &json.kind {
        JsonKind::String(s) => (s.clone(), ScalarKind::String),
        JsonKind::Number(n) => (n.clone(), ScalarKind::Number),
        JsonKind::Bool(b) => (b.to_string(), ScalarKind::Bool),
        _ => {
            return Err(ParseError::new(
                format!(
                    "condition values for `{key}` must be strings, numbers or booleans (or an array of them), found {}",
                    json.describe()
                ),
                json.span,
            ));
        }
    };
    Ok(ConditionValue {
        text,
        kind,
        span: json.span,
    })
}
