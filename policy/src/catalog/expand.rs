//! Expands action patterns (`s3:Get*`, `*`, a NotAction list) into the catalog actions they
//! cover.

use super::glob::{has_wildcard, matches_ignore_case};
use super::{Action, Catalog, Service};

/// The actions of one service that a list of patterns covers.
#[derive(Debug, Clone)]
pub struct ServiceActions<'a> {
    pub service: &'a Service,
    /// In catalog order.
    pub actions: Vec<&'a Action>,
}

impl Catalog {
    /// The services and actions that the action patterns `patterns` cover (case-insensitive,
    /// `*` and `?` wildcards in the service and the action name). With `not_action`, the result is
    /// every catalog action that no pattern covers, as a `NotAction` element grants. Services with
    /// no covered action are left out; the result is sorted by prefix.
    pub fn expand<'p>(
        &self,
        patterns: impl IntoIterator<Item = &'p str>,
        not_action: bool,
    ) -> Vec<ServiceActions<'_>> {
        let patterns: Vec<Pattern<'p>> = patterns.into_iter().filter_map(Pattern::parse).collect();
        let mut out = Vec::new();
        for service in self.services() {
            let relevant: Vec<&Pattern<'_>> = patterns
                .iter()
                .filter(|p| p.covers_service(service.prefix))
                .collect();
            let actions: Vec<&Action> = if relevant.is_empty() {
                if not_action {
                    service.actions.iter().collect()
                } else {
                    Vec::new()
                }
            } else if !not_action && relevant.iter().all(|p| !p.action_wild) {
                // Only literal names: look them up instead of scanning the service.
                let mut found: Vec<(usize, &Action)> = Vec::new();
                for p in &relevant {
                    if let Some(i) = service.action_position(p.action)
                        && let Some(action) = service.actions.get(i)
                        && !found.iter().any(|(j, _)| *j == i)
                    {
                        found.push((i, action));
                    }
                }
                found.sort_by_key(|(i, _)| *i);
                found.into_iter().map(|(_, a)| a).collect()
            } else {
                service
                    .actions
                    .iter()
                    .filter(|a| relevant.iter().any(|p| p.covers_action(a.name)) != not_action)
                    .collect()
            };
            if !actions.is_empty() {
                out.push(ServiceActions { service, actions });
            }
        }
        out
    }

    /// The catalog actions one pattern covers, such as `iam:Get*`.
    pub fn expand_one(&self, pattern: &str) -> Vec<ServiceActions<'_>> {
        self.expand([pattern], false)
    }
}

/// One action pattern split into its service and action parts, with whether each part has a
/// wildcard (worked out once: expansion tests every catalog action against it).
struct Pattern<'p> {
    service: &'p str,
    service_wild: bool,
    action: &'p str,
    action_wild: bool,
}

impl<'p> Pattern<'p> {
    fn parse(text: &'p str) -> Option<Pattern<'p>> {
        let (service, action) = if text == "*" {
            ("*", "*")
        } else {
            text.split_once(':')?
        };
        Some(Pattern {
            service,
            service_wild: has_wildcard(service),
            action,
            action_wild: has_wildcard(action),
        })
    }

    fn covers_service(&self, prefix: &str) -> bool {
        if self.service_wild {
            matches_ignore_case(self.service, prefix)
        } else {
            self.service.eq_ignore_ascii_case(prefix)
        }
    }

    fn covers_action(&self, name: &str) -> bool {
        if self.action == "*" {
            true
        } else if self.action_wild {
            matches_ignore_case(self.action, name)
        } else {
            self.action.eq_ignore_ascii_case(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(expanded: &[ServiceActions<'_>]) -> Vec<String> {
        expanded
            .iter()
            .flat_map(|s| {
                s.actions
                    .iter()
                    .map(|a| format!("{}:{}", s.service.prefix, a.name))
            })
            .collect()
    }

    #[test]
    fn expands_wildcards_case_insensitively() {
        let catalog = Catalog::get();
        let got = names(&catalog.expand(["IAM:get*user", "iam:PassRole"], false));
        assert!(got.contains(&"iam:GetUser".to_owned()));
        assert!(got.contains(&"iam:PassRole".to_owned()));
        assert!(got.iter().all(|a| a.starts_with("iam:")));
        let all: usize = catalog.services().iter().map(|s| s.actions.len()).sum();
        assert_eq!(names(&catalog.expand(["*"], false)).len(), all);
        assert_eq!(names(&catalog.expand(["*:*"], false)).len(), all);
    }

    #[test]
    fn not_action_is_the_complement() {
        let catalog = Catalog::get();
        let all: usize = catalog.services().iter().map(|s| s.actions.len()).sum();
        let iam = catalog.service("iam").unwrap().actions.len();
        let rest = names(&catalog.expand(["iam:*"], true));
        assert_eq!(rest.len(), all - iam);
        assert!(!rest.iter().any(|a| a.starts_with("iam:")));
        assert!(catalog.expand(["*"], true).is_empty());
    }

    #[test]
    fn unknown_or_malformed_patterns_cover_nothing() {
        let catalog = Catalog::get();
        assert!(catalog.expand_one("nosuch:*").is_empty());
        assert!(catalog.expand_one("s3GetObject").is_empty());
        assert!(catalog.expand_one("s3:GetObject,PutObject").is_empty());
        assert_eq!(names(&catalog.expand_one("s?:GetObject")), ["s3:GetObject"]);
    }
}
