//! The request being authorized: action, resource and context keys.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// One authorization request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Request {
    /// `service:ActionName`, e.g. `iam:CreateUser` (case-insensitive).
    pub action: String,
    /// The resource ARN, or `*` for actions that have no resource type (e.g. `iam:ListUsers`).
    pub resource: String,
    #[serde(default)]
    pub context: Context,
}

impl Request {
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Request {
        Request {
            action: action.into(),
            resource: resource.into(),
            context: Context::new(),
        }
    }

    /// Adds a context key (builder style).
    pub fn with(mut self, key: &str, value: impl Into<ContextValue>) -> Request {
        self.context.insert(key, value);
        self
    }
}

/// The value of a context key: one string, or a set of strings (`aws:TagKeys`).
///
/// Booleans, numbers, dates and addresses are strings too (`"true"`, `"42"`,
/// `"2026-01-01T00:00:00Z"`, `"192.0.2.7"`); each operator parses what it needs. When
/// deserialized, JSON booleans and numbers are accepted and kept as their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ContextValue {
    Single(String),
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice (one element for `Single`).
    pub fn as_slice(&self) -> &[String] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(s.to_string())
    }
}

impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(s)
    }
}

impl From<bool> for ContextValue {
    fn from(b: bool) -> Self {
        ContextValue::Single(b.to_string())
    }
}

impl From<i64> for ContextValue {
    fn from(n: i64) -> Self {
        ContextValue::Single(n.to_string())
    }
}

impl From<Vec<String>> for ContextValue {
    fn from(v: Vec<String>) -> Self {
        ContextValue::Multi(v)
    }
}

impl From<Vec<&str>> for ContextValue {
    fn from(v: Vec<&str>) -> Self {
        ContextValue::Multi(v.into_iter().map(str::to_string).collect())
    }
}

impl From<&[&str]> for ContextValue {
    fn from(v: &[&str]) -> Self {
        ContextValue::Multi(v.iter().map(|s| s.to_string()).collect())
    }
}

struct ScalarText(String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).and_then(|v| match v {
            ContextValue::Single(s) => Ok(ScalarText(s)),
            ContextValue::Multi(_) => Err(de::Error::custom(
                "context values can't be nested arrays; use a flat array of strings",
            )),
        })
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ContextValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or an array of them")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ContextValue, E> {
        Ok(ContextValue::Single(v.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ContextValue, A::Error> {
        let mut out = Vec::new();
        while let Some(ScalarText(s)) = seq.next_element()? {
            out.push(s);
        }
        Ok(ContextValue::Multi(out))
    }
}

impl<'de> Deserialize<'de> for ContextValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Context keys and their values. Key names are case-insensitive (`aws:SourceIp` is
/// `AWS:sourceip`); they are stored lowercased.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct Context {
    entries: BTreeMap<String, ContextValue>,
}

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets a key, replacing any value it had.
    pub fn insert(&mut self, key: &str, value: impl Into<ContextValue>) {
        self.entries.insert(key.to_lowercase(), value.into());
    }

    /// Sets a key (builder style).
    pub fn with(mut self, key: &str, value: impl Into<ContextValue>) -> Context {
        self.insert(key, value);
        self
    }

    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        self.entries.remove(&key.to_lowercase())
    }

    /// Looks a key up, case-insensitively.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        if key.chars().any(char::is_uppercase) {
            self.entries.get(&key.to_lowercase())
        } else {
            self.entries.get(key)
        }
    }

    /// Looks up a key that is already lowercase.
    pub(crate) fn get_lowercase(&self, key: &str) -> Option<&ContextValue> {
        self.entries.get(key)
    }

    /// The keys (lowercased) and values, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, ContextValue>::deserialize(d)?;
        let mut ctx = Context::new();
        for (k, v) in raw {
            ctx.insert(&k, v);
        }
        Ok(ctx)
    }
}

impl<K: AsRef<str>, V: Into<ContextValue>> FromIterator<(K, V)> for Context {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut ctx = Context::new();
        for (k, v) in iter {
            ctx.insert(k.as_ref(), v);
        }
        ctx
    }
}
