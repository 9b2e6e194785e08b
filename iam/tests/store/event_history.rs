//! The Event history: lookups by each attribute and time range, pages,
//! read-only events, CloudTrail JSON, no secrets in the trail, retention, and
//! a measurement over 1,000,000 events.

use iam::{
    Action, ErrorKind, EventFilter, EventPage, LookupAttribute, NewGroup, NewUserSpec,
    PasswordChoice, UnixTime,
};

use super::support::{
    ROOT_EMAIL, ROOT_PASSWORD, T0, TestDb, add_root, meta, test_sqlite_store, with_root,
};
use super::users::create_users;

const DAY: i64 = 86_400;

fn filter(lookup: Option<(LookupAttribute, &str)>) -> EventFilter {
    EventFilter {
        lookup: lookup.map(|(a, v)| (a, v.to_owned())),
        start: T0.plus_secs(-90 * DAY),
        end: T0.plus_secs(DAY),
        include_read_only: false,
        page_size: 50,
        next_token: None,
    }
}

pub async fn lookup(db: &TestDb, filter: &EventFilter) -> EventPage {
    let auth = db.auth(Action::LookupEvents, "*").await;
    db.iam
        .lookup_events(&auth, filter, &meta(), T0.plus_secs(3))
        .await
        .unwrap()
}

fn names(page: &EventPage) -> Vec<&str> {
    page.events.iter().map(|e| e.event_name.as_str()).collect()
}

async fn create_group(db: &TestDb, name: &str, now: UnixTime) {
    let arn = db.iam.group_arn_for(None, name).await.unwrap();
    let create = db.auth(Action::CreateGroup, &arn).await;
    let new = NewGroup {
        name: name.to_owned(),
        path: None,
        policy_arns: Vec::new(),
        user_names: Vec::new(),
    };
    db.iam
        .create_group(&create, None, None, new, &meta(), now)
        .await
        .unwrap();
}

#[tokio::test]
async fn lookups_by_each_attribute_newest_first() {
    let db = with_root().await;
    db.sign_in_root(T0.plus_secs(1)).await;
    create_group(&db, "Admins", T0.plus_secs(2)).await;
    create_group(&db, "PowerUsers", T0.plus_secs(2)).await;

    let all = lookup(&db, &filter(None)).await;
    assert_eq!(
        names(&all),
        [
            "CreateGroup",
            "CreateGroup",
            "ConsoleLogin",
            "CreateRootUser"
        ]
    );
    let by_name = lookup(
        &db,
        &filter(Some((LookupAttribute::EventName, "CreateGroup"))),
    )
    .await;
    assert_eq!(by_name.events.len(), 2);
    let by_resource = lookup(
        &db,
        &filter(Some((LookupAttribute::ResourceName, "PowerUsers"))),
    )
    .await;
    assert_eq!(names(&by_resource), ["CreateGroup"]);
    let record = &by_resource.events[0];
    assert_eq!(record.resources[0].resource_type, "AWS::IAM::Group");
    assert_eq!(record.resources[0].name, "PowerUsers");
    assert_eq!(record.user_identity.identity_type.as_deref(), Some("Root"));
    let by_type = lookup(
        &db,
        &filter(Some((LookupAttribute::ResourceType, "AWS::IAM::Group"))),
    )
    .await;
    assert_eq!(by_type.events.len(), 2);
    let by_source = lookup(
        &db,
        &filter(Some((LookupAttribute::EventSource, "signin.amazonaws.com"))),
    )
    .await;
    assert_eq!(names(&by_source), ["ConsoleLogin"]);
    let by_user = lookup(&db, &filter(Some((LookupAttribute::Username, ROOT_EMAIL)))).await;
    assert!(by_user.events.len() >= 3, "{:?}", names(&by_user));
    let by_key = lookup(&db, &filter(Some((LookupAttribute::AccessKeyId, "AKIAX")))).await;
    assert!(by_key.events.is_empty());

    // The earlier lookups were recorded as read-only LookupEvents events,
    // which appear only when asked for.
    let read_only = lookup(&db, &filter(Some((LookupAttribute::ReadOnly, "true")))).await;
    assert!(!read_only.events.is_empty());
    assert!(read_only.events.iter().all(|e| e.read_only));
    assert_eq!(read_only.events[0].event_name, "LookupEvents");
    assert_eq!(read_only.events[0].event_source, "cloudtrail.amazonaws.com");
    let mut with_reads = filter(None);
    with_reads.include_read_only = true;
    assert!(names(&lookup(&db, &with_reads).await).contains(&"LookupEvents"));

    // A time range that ends before the groups were created.
    let mut early = filter(None);
    early.end = T0.plus_secs(1);
    assert_eq!(
        names(&lookup(&db, &early).await),
        ["ConsoleLogin", "CreateRootUser"]
    );

    let json = record.to_cloudtrail_json();
    assert_eq!(json["eventName"], "CreateGroup");
    assert_eq!(json["eventSource"], "iam.amazonaws.com");
    assert_eq!(json["userIdentity"]["type"], "Root");
    assert_eq!(json["resources"][0]["type"], "AWS::IAM::Group");
    assert_eq!(json["readOnly"], false);
    assert!(json["eventTime"].as_str().unwrap().ends_with('Z'));
    assert!(json.get("errorCode").is_none());
}

#[tokio::test]
async fn pages_follow_the_next_token_without_gaps() {
    let db = with_root().await;
    for i in 0..7 {
        // Two groups per second, so ties on event_time are exercised.
        create_group(&db, &format!("g{i}"), T0.plus_secs(1 + i / 2)).await;
    }
    let mut f = filter(Some((LookupAttribute::EventName, "CreateGroup")));
    f.page_size = 3;
    let mut seen = Vec::new();
    loop {
        let page = lookup(&db, &f).await;
        assert!(page.events.len() <= 3);
        seen.extend(page.events.iter().map(|e| {
            (
                e.event_time,
                e.request_parameters.as_ref().unwrap()["groupName"].clone(),
            )
        }));
        match page.next_token {
            Some(token) => f.next_token = Some(token),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert!(seen.windows(2).all(|w| w[0].0 >= w[1].0));
    let mut groups: Vec<String> = seen.iter().map(|(_, g)| g.to_string()).collect();
    groups.sort();
    groups.dedup();
    assert_eq!(groups.len(), 7);
}

#[tokio::test]
async fn bad_filters_say_what_to_fix() {
    let db = with_root().await;
    let auth = db.auth(Action::LookupEvents, "*").await;
    let mut backwards = filter(None);
    backwards.start = T0;
    backwards.end = T0.plus_secs(-1);
    let mut bad_token = filter(None);
    bad_token.next_token = Some("garbage".to_owned());
    let mut huge = filter(None);
    huge.page_size = 5_000;
    let cases = [
        (backwards, "start_time"),
        (bad_token, "next_token"),
        (huge, "page_size"),
        (
            filter(Some((LookupAttribute::ReadOnly, "maybe"))),
            "lookup_value",
        ),
        (
            filter(Some((LookupAttribute::EventName, " "))),
            "lookup_value",
        ),
    ];
    for (f, field) in cases {
        let e = db
            .iam
            .lookup_events(&auth, &f, &meta(), T0)
            .await
            .unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some(field)));
        let m = e.user_message();
        assert!(
            !m.starts_with(char::is_uppercase) && !m.ends_with('.'),
            "{m}"
        );
    }
    // A proof for another action is refused.
    let other = db.auth(Action::ListUsers, "*").await;
    let e = db
        .iam
        .lookup_events(&other, &filter(None), &meta(), T0)
        .await
        .unwrap_err();
    assert!(e.is_internal());
}

#[tokio::test]
async fn no_password_or_token_reaches_the_trail() {
    let db = with_root().await;
    let first = "Initial-pass-111";
    let second = "Changed-pass-222";
    let created = create_users(
        &db,
        vec![
            NewUserSpec {
                console_password: Some(PasswordChoice::Custom(first.to_owned())),
                ..NewUserSpec::named("mary")
            },
            NewUserSpec {
                console_password: Some(PasswordChoice::Autogenerated),
                password_reset_required: true,
                ..NewUserSpec::named("diego")
            },
        ],
    )
    .await
    .unwrap();
    let generated = created[1].password.as_ref().unwrap().expose().to_owned();
    let account = db.iam.account().await.unwrap();
    let signed_in = db
        .iam
        .sign_in_user(account.id.as_str(), "mary", first, None, &meta(), T0)
        .await
        .unwrap();
    db.iam
        .change_password(&signed_in.session, first, second, &meta(), T0)
        .await
        .unwrap();
    let again = db
        .iam
        .sign_in_user(account.id.as_str(), "mary", second, None, &meta(), T0)
        .await
        .unwrap();
    // A failed attempt with a password typed into the user name.
    let _ = db
        .iam
        .sign_in_user(account.id.as_str(), second, "wrong", None, &meta(), T0)
        .await;
    let root = db.sign_in_root(T0).await;

    let mut f = filter(None);
    f.include_read_only = true;
    f.page_size = 1_000;
    let page = lookup(&db, &f).await;
    let events = page.events.len();
    assert!(events >= 8, "{:?}", names(&page));
    let trail: String = page
        .events
        .iter()
        .map(|e| e.to_cloudtrail_json().to_string())
        .collect();
    for secret in [
        first,
        second,
        generated.as_str(),
        ROOT_PASSWORD,
        signed_in.token.as_str(),
        again.token.as_str(),
        root.token.as_str(),
    ] {
        assert!(!trail.contains(secret), "a secret is in the trail");
    }
    // And not in any raw column either.
    for secret in [first, second, generated.as_str(), ROOT_PASSWORD] {
        let sql = format!(
            "SELECT COUNT(*) FROM events WHERE COALESCE(request_parameters, '') || \
             COALESCE(response_elements, '') || COALESCE(user_name, '') || user_agent \
             LIKE '%{secret}%'"
        );
        assert_eq!(db.count(&sql).await, 0);
    }
}

#[tokio::test]
async fn retention_prunes_old_events_and_their_resources() {
    let db = with_root().await;
    create_group(&db, "Old", T0).await;
    create_group(&db, "New", T0.plus_secs(80 * DAY)).await;
    let now = T0.plus_secs(91 * DAY);
    let deleted = db.iam.prune_events(90, now).await.unwrap();
    assert_eq!(deleted, 2, "root creation and the Old group");
    assert_eq!(db.count("SELECT COUNT(*) FROM events").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM event_resources").await, 1);
    assert_eq!(db.iam.prune_events(90, now).await.unwrap(), 0);
    let mut f = filter(Some((LookupAttribute::ResourceName, "Old")));
    f.start = T0.plus_secs(-1);
    f.end = now;
    assert!(lookup(&db, &f).await.events.is_empty());
}

#[tokio::test]
async fn a_denied_request_is_recorded_with_access_denied() {
    let db = with_root().await;
    let mary = db.insert_user("mary", "Mary-pass-111", false).await;
    let account = db.iam.account().await.unwrap();
    let principal = iam::Principal::User {
        account_id: account.id.clone(),
        user_id: mary,
        name: "mary".to_owned(),
        path: "/".to_owned(),
    };
    let arn = format!("arn:aws:iam::{}:group/Admins", account.id.as_str());
    db.iam
        .record_access_denied(
            &principal,
            Action::DeleteGroup,
            &arn,
            &meta(),
            T0.plus_secs(1),
        )
        .await
        .unwrap();
    let page = lookup(&db, &filter(Some((LookupAttribute::Username, "mary")))).await;
    assert_eq!(names(&page), ["DeleteGroup"]);
    let record = &page.events[0];
    assert_eq!(record.error_code.as_deref(), Some("AccessDenied"));
    assert!(
        record
            .error_message
            .as_deref()
            .unwrap()
            .contains("is not authorized to perform: iam:DeleteGroup on resource: arn:aws:iam::")
    );
    assert_eq!(record.resources[0].name, "Admins");
    let json = record.to_cloudtrail_json();
    assert_eq!(json["errorCode"], "AccessDenied");
    assert_eq!(json["userIdentity"]["type"], "IAMUser");
    assert_eq!(json["userIdentity"]["userName"], "mary");
}

/// A measurement, not a check: run with
/// `cargo nextest run -p iam --run-ignored only million --no-capture`.
/// Figures go in `docs/benchmarks.md`. Always on SQLite: the seeding SQL is SQLite's
/// (`printf`, `instr`).
#[tokio::test]
#[ignore = "a measurement over 1,000,000 events (about a minute)"]
async fn million_events_lookup_measurement() {
    let db = add_root(test_sqlite_store().await).await;
    let account = db.iam.account().await.unwrap();
    let pool = db.raw().await;
    let started = std::time::Instant::now();
    // 1,000,000 events over 90 days: 20 event names, 1,000 users, one group
    // resource each among 10,000 groups, one in five read-only.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) \
         INSERT INTO events (event_id, event_time, event_source, event_name, user_identity_type, \
         user_arn, user_name, account_id, source_ip, user_agent, request_parameters, \
         response_elements, error_code, error_message, read_only, resources, access_key_id) \
         SELECT printf('%08x-0000-4000-8000-%012x', i, i), $1 - (i * 7776000 / 1000000), \
         'iam.amazonaws.com', 'Event' || (i % 20), 'IAMUser', \
         'arn:aws:iam::' || $2 || ':user/user' || (i % 1000), 'user' || (i % 1000), $2, \
         '203.0.113.7', 'bench', '{\"groupName\":\"group' || (i % 10000) || '\"}', NULL, NULL, \
         NULL, CASE WHEN i % 5 = 0 THEN 1 ELSE 0 END, \
         '[{\"ARN\":\"arn:aws:iam::' || $2 || ':group/group' || (i % 10000) || '\"}]', \
         'AKIA' || (i % 1000) FROM n",
    )
    .bind(T0.as_secs())
    .bind(account.id.as_str())
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO event_resources (event_id, event_time, resource_type, resource_name) \
         SELECT event_id, event_time, 'AWS::IAM::Group', \
         substr(resources, instr(resources, 'group/') + 6, \
         instr(resources, '\"}]') - instr(resources, 'group/') - 6) \
         FROM events WHERE user_agent = 'bench'",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    println!("inserted 1,000,000 events in {:?}", started.elapsed());

    let cases = [
        ("no attribute", None),
        ("User name", Some((LookupAttribute::Username, "user42"))),
        ("Event name", Some((LookupAttribute::EventName, "Event7"))),
        (
            "Resource name",
            Some((LookupAttribute::ResourceName, "group4242")),
        ),
        (
            "Access key id",
            Some((LookupAttribute::AccessKeyId, "AKIA42")),
        ),
    ];
    for (label, attribute) in cases {
        for (range, days) in [("7 days", 7), ("90 days", 90)] {
            let mut f = filter(attribute);
            f.start = T0.plus_secs(-days * DAY);
            f.end = T0;
            let auth = db.auth(Action::LookupEvents, "*").await;
            let t = std::time::Instant::now();
            let first = db.iam.lookup_events(&auth, &f, &meta(), T0).await.unwrap();
            let first_ms = t.elapsed().as_secs_f64() * 1000.0;
            f.next_token = first.next_token.clone();
            let t = std::time::Instant::now();
            let second = db.iam.lookup_events(&auth, &f, &meta(), T0).await.unwrap();
            let second_ms = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "{label}, last {range}: first page {} events in {first_ms:.1} ms, \
                 next page {} in {second_ms:.1} ms",
                first.events.len(),
                second.events.len()
            );
        }
    }
    pool.close().await;
}
