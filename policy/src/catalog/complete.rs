//! Completions for the policy editor: service prefixes, actions and condition keys that start with
//! what the author has typed so far.

use super::{Catalog, GLOBAL_CONDITION_KEYS};

/// Whether `text` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

impl Catalog {
    /// Up to `limit` completions of a partly typed action, in catalog order: `s3:Get` gives
    /// `s3:GetObject`, ...; text without `:` gives service prefixes followed by `:` (`ec` gives
    /// `ec2:`, `ecr:`, ...).
    pub fn complete_action(&self, typed: &str, limit: usize) -> Vec<String> {
        match typed.split_once(':') {
            None => self
                .services()
                .iter()
                .filter(|s| starts_with_ignore_case(s.prefix, typed))
                .take(limit)
                .map(|s| format!("{}:", s.prefix))
                .collect(),
            Some((prefix, name)) => self.service(prefix).map_or_else(Vec::new, |service| {
                service
                    .actions
                    .iter()
                    .filter(|a| starts_with_ignore_case(a.name, name))
                    .take(limit)
                    .map(|a| format!("{}:{}", service.prefix, a.name))
                    .collect()
            }),
        }
    }

    /// Up to `limit` completions of a partly typed condition key: the documented global keys for
    /// `aws:`, else the keys of the service named before the `:`. Keys with a placeholder are
    /// given as written in the catalog (`aws:ResourceTag/tag-key`, `s3:ExistingObjectTag/<key>`).
    pub fn complete_condition_key(&self, typed: &str, limit: usize) -> Vec<String> {
        let Some((prefix, _)) = typed.split_once(':') else {
            return self.complete_action(typed, limit);
        };
        if prefix.eq_ignore_ascii_case("aws") {
            return GLOBAL_CONDITION_KEYS
                .iter()
                .filter(|k| starts_with_ignore_case(k.name, typed))
                .take(limit)
                .map(|k| k.name.to_owned())
                .collect();
        }
        self.service(prefix).map_or_else(Vec::new, |service| {
            service
                .condition_keys
                .iter()
                .filter(|k| starts_with_ignore_case(k.name, typed))
                .take(limit)
                .map(|k| k.name.to_owned())
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_services_and_actions() {
        let catalog = Catalog::get();
        let services = catalog.complete_action("EC", 50);
        assert!(services.contains(&"ec2:".to_owned()));
        assert!(services.iter().all(|s| s.starts_with("ec")));
        let actions = catalog.complete_action("s3:getobj", 100);
        assert!(actions.contains(&"s3:GetObject".to_owned()));
        assert!(actions.iter().all(|a| a.starts_with("s3:GetObject")));
        assert_eq!(catalog.complete_action("iam:", 3).len(), 3);
        assert!(catalog.complete_action("nosuch:x", 10).is_empty());
        assert!(catalog.complete_action("ß", 10).is_empty());
    }

    #[test]
    fn completes_condition_keys() {
        let catalog = Catalog::get();
        let global = catalog.complete_condition_key("aws:sourcei", 10);
        assert_eq!(global, ["aws:SourceIdentity", "aws:SourceIp"]);
        assert_eq!(
            catalog.complete_condition_key("s3", 100),
            catalog.complete_action("s3", 100)
        );
        let iam = catalog.complete_condition_key("iam:Pass", 10);
        assert_eq!(iam, ["iam:PassedToService"]);
    }
}
