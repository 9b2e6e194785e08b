//! Parses the embedded `catalog.tsv` (format in `policy/data/README.md`).
//!
//! The text is generated and checked in, so a malformed line is a build-time bug rather than user
//! input; it is skipped instead of panicking, and the tests check that nothing was skipped.

use std::collections::HashMap;

use super::{AccessLevel, Action, ActionResource, Catalog, ConditionKey, ResourceType, Service};

/// Parses the catalog text and adds the `portcullis` service.
pub(super) fn parse(text: &'static str) -> Catalog {
    let mut services: Vec<Service> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let kind = fields.next();
        let fields: Vec<&'static str> = fields.collect();
        match (kind, fields.as_slice()) {
            (Some("S"), [prefix, name]) => services.push(new_service(prefix, name)),
            (Some("K"), [key, ty]) => {
                if let Some(service) = services.last_mut() {
                    service.condition_keys.push(ConditionKey::new(key, ty));
                }
            }
            (Some("R"), [name, arn, keys]) => {
                if let Some(service) = services.last_mut() {
                    service.resource_types.push(ResourceType {
                        name,
                        arn_format: arn,
                        condition_keys: indexes(keys),
                    });
                }
            }
            (Some("A"), [name, level, resources, keys]) => {
                if let (Some(service), Some(level)) = (services.last_mut(), access_level(level)) {
                    service.actions.push(Action {
                        name,
                        access_level: level,
                        resource_types: action_resources(resources),
                        condition_keys: indexes(keys),
                    });
                }
            }
            _ => {}
        }
    }
    services.push(portcullis());
    services.sort_by(|a, b| a.prefix.cmp(b.prefix));
    for service in &mut services {
        service
            .actions
            .sort_by(|a, b| super::cmp_ignore_case(a.name, b.name));
    }
    index(services)
}

fn index(services: Vec<Service>) -> Catalog {
    let by_prefix = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.prefix.to_ascii_lowercase(), i))
        .collect();
    let mut keys = HashMap::new();
    let mut key_patterns: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (s, service) in services.iter().enumerate() {
        for (k, key) in service.condition_keys.iter().enumerate() {
            match key.exact_lower() {
                Some(exact) => {
                    keys.entry(exact.to_owned()).or_insert((s, k));
                }
                None => key_patterns
                    .entry(key.prefix_lower().to_owned())
                    .or_default()
                    .push((s, k)),
            }
            // Remember every key prefix, so that `has_key_prefix` knows `accounts.google.com`.
            key_patterns
                .entry(key.prefix_lower().to_owned())
                .or_default();
        }
    }
    Catalog {
        services,
        by_prefix,
        keys,
        key_patterns,
    }
}

fn new_service(prefix: &'static str, name: &'static str) -> Service {
    Service {
        prefix,
        name,
        actions: Vec::new(),
        resource_types: Vec::new(),
        condition_keys: Vec::new(),
    }
}

/// Our own service: `portcullis:Authorize` lets a principal ask the console's authorization
/// endpoint for a decision. It reads state and changes nothing, hence Read; it acts on no
/// resource type, so only `"Resource": "*"` grants it.
fn portcullis() -> Service {
    let mut service = new_service("portcullis", "Portcullis");
    service.actions.push(Action {
        name: "Authorize",
        access_level: AccessLevel::Read,
        resource_types: Box::new([]),
        condition_keys: Box::new([]),
    });
    service
}

fn access_level(code: &str) -> Option<AccessLevel> {
    Some(match code {
        "L" => AccessLevel::List,
        "R" => AccessLevel::Read,
        "W" => AccessLevel::Write,
        "P" => AccessLevel::PermissionsManagement,
        "T" => AccessLevel::Tagging,
        _ => return None,
    })
}

fn indexes(list: &str) -> Box<[u16]> {
    list.split(',').filter_map(|i| i.parse().ok()).collect()
}

fn action_resources(list: &str) -> Box<[ActionResource]> {
    list.split(',')
        .filter_map(|item| {
            let (number, required) = match item.strip_suffix('?') {
                Some(number) => (number, false),
                None => (item, true),
            };
            Some(ActionResource {
                index: number.parse().ok()?,
                required,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_line_is_used() {
        let text = super::super::CATALOG_TSV;
        let count = |kind: &str| text.lines().filter(|l| l.starts_with(kind)).count();
        let catalog = Catalog::get();
        let services = catalog.services();
        // +1: the portcullis service.
        assert_eq!(services.len(), count("S\t") + 1);
        let actions: usize = services.iter().map(|s| s.actions.len()).sum();
        assert_eq!(actions, count("A\t") + 1);
        let keys: usize = services.iter().map(|s| s.condition_keys.len()).sum();
        assert_eq!(keys, count("K\t"));
        let types: usize = services.iter().map(|s| s.resource_types.len()).sum();
        assert_eq!(types, count("R\t"));
        for service in services {
            for action in &service.actions {
                for r in action.resource_types.iter() {
                    assert!(usize::from(r.index) < service.resource_types.len());
                }
                for k in action.condition_keys.iter() {
                    assert!(usize::from(*k) < service.condition_keys.len());
                }
            }
        }
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let catalog = parse("S\tx\tX\nA\tOnly\nA\tGood\tQ\t\t\nA\tFine\tL\t0?,z\t1,a\nbogus\n");
        let x = catalog.service("x").unwrap();
        assert_eq!(x.actions.len(), 1);
        let fine = x.action("fine").unwrap();
        assert_eq!(
            &*fine.resource_types,
            &[ActionResource {
                index: 0,
                required: false
            }]
        );
        assert_eq!(&*fine.condition_keys, &[1]);
    }
}
