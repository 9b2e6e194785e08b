//! `/policies/details?arn=…`: one policy's summary, permissions, attached entities, tags and
//! versions, with the edits a customer managed policy allows. Tabs are links (`&tab=`), and
//! every change is a form posting to a server function, so the page works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::access_advisor::EntityKind;
use crate::api::policies::{
    AttachPolicy, DeletePolicy, DeletePolicyVersion, DetachPolicy, PolicyEntitiesView, PolicyView,
    SetDefaultPolicyVersion, TagPolicy, UntagPolicy, get_policy, get_policy_version,
    policy_entities, url_encode,
};
use crate::components::access_advisor::{
    AccessAdvisor, AdvisorReport, GenerateTarget, advisor_report,
};
use crate::components::form::{Field, FormAlert};
use crate::components::tags::{tag_fields, tags_table};
use crate::error::AppError;
use crate::pages::policies::{PolicySummaryTable, summarize, time_or_dash};

const TABS: [(&str, &str); 5] = [
    ("permissions", "Permissions"),
    ("entities", "Entities attached"),
    ("tags", "Tags"),
    ("versions", "Policy versions"),
    ("access-advisor", "Access Advisor"),
];

#[derive(Clone, Copy)]
struct Actions {
    set_default: ServerAction<SetDefaultPolicyVersion>,
    delete_version: ServerAction<DeletePolicyVersion>,
    tag: ServerAction<TagPolicy>,
    untag: ServerAction<UntagPolicy>,
    attach: ServerAction<AttachPolicy>,
    detach: ServerAction<DetachPolicy>,
    delete: ServerAction<DeletePolicy>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            set_default: ServerAction::new(),
            delete_version: ServerAction::new(),
            tag: ServerAction::new(),
            untag: ServerAction::new(),
            attach: ServerAction::new(),
            detach: ServerAction::new(),
            delete: ServerAction::new(),
        }
    }

    /// Changes whenever an action completes, so the data is read again.
    fn versions(self) -> [usize; 6] {
        [
            self.set_default.version().get(),
            self.delete_version.version().get(),
            self.tag.version().get(),
            self.untag.version().get(),
            self.attach.version().get(),
            self.detach.version().get(),
        ]
    }

    /// The error of the most recent failed action, if any.
    fn error(self) -> Option<AppError> {
        let errors = [
            self.set_default.value().get().and_then(Result::err),
            self.delete_version.value().get().and_then(Result::err),
            self.untag.value().get().and_then(Result::err),
            self.detach.value().get().and_then(Result::err),
        ];
        errors.into_iter().flatten().next()
    }
}

#[component]
pub fn PolicyDetailsPage() -> impl IntoView {
    let q = use_query_map();
    let arn = move || q.read().get("arn").unwrap_or_default();
    let tab = move || {
        q.read()
            .get("tab")
            .filter(|t| TABS.iter().any(|(id, _)| id == t))
            .unwrap_or_else(|| "permissions".to_owned())
    };
    let confirm_delete = move || q.read().get("delete").is_some();
    let compare = move || {
        let q = q.read();
        match (q.get("compare_a"), q.get("compare_b")) {
            (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some((a, b)),
            _ => None,
        }
    };
    let actions = Actions::new();
    let policy = Resource::new_blocking(
        move || (arn(), actions.versions()),
        |(arn, _)| get_policy(arn),
    );
    let entities = Resource::new_blocking(
        move || (tab() == "entities").then(|| (arn(), actions.versions())),
        |key| async move {
            match key {
                Some((arn, _)) => policy_entities(arn).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let advisor = advisor_report(EntityKind::Policy, move || {
        (tab() == "access-advisor").then(arn)
    });
    let comparison = Resource::new_blocking(
        move || compare().map(|c| (arn(), c, actions.versions())),
        |key| async move {
            match key {
                Some((arn, (a, b), _)) => {
                    let left = get_policy_version(arn.clone(), a.clone()).await?;
                    let right = get_policy_version(arn, b.clone()).await?;
                    Ok(Some(((a, left), (b, right))))
                }
                None => Ok::<_, AppError>(None),
            }
        },
    );

    view! {
        <Title text="Policy details" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/policies">"Policies"</a>
            " › Policy details"
        </nav>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match policy.await {
                    Ok(p) => {
                        let tab = tab();
                        let content = match tab.as_str() {
                            "entities" => {
                                let entities = entities.await;
                                entities_tab(&p, entities, actions).into_any()
                            }
                            "tags" => tags_tab(&p, actions).into_any(),
                            "access-advisor" => access_advisor_tab(&p, advisor).into_any(),
                            "versions" => {
                                let comparison = comparison.await;
                                versions_tab(&p, comparison, compare(), actions).into_any()
                            }
                            _ => permissions_tab(&p).into_any(),
                        };
                        view! {
                            {header(&p, confirm_delete(), actions)}
                            {tab_bar(&p.arn, &tab)}
                            <section class="panel tab-panel" role="tabpanel" aria-label=tab_label(&tab)>
                                {move || actions.error().map(|e| view! { <p class="alert" role="alert">{e.to_string()}</p> })}
                                {content}
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn tab_label(tab: &str) -> &'static str {
    TABS.iter()
        .find(|(id, _)| *id == tab)
        .map(|(_, label)| *label)
        .unwrap_or("Permissions")
}

fn details_href(arn: &str, rest: &str) -> String {
    format!("/policies/details?arn={}{rest}", url_encode(arn))
}

fn header(p: &PolicyView, confirm_delete: bool, actions: Actions) -> AnyView {
    let edit_href = format!("/policies/edit?arn={}", url_encode(&p.arn));
    let delete_href = details_href(&p.arn, "&delete=1");
    let controls = (!p.aws_managed).then(|| {
        view! {
            <div class="header-actions">
                <a class="button" href=edit_href>"Edit policy"</a>
                <a class="button" href=delete_href>"Delete"</a>
            </div>
        }
    });
    let confirm =
        (confirm_delete && !p.aws_managed).then(|| delete_confirmation(p, actions.delete));
    view! {
        <div class="page-header">
            <h1>{p.name.clone()}</h1>
            {controls}
        </div>
        {confirm}
        <section class="panel" aria-labelledby="policy-details-heading">
            <h2 id="policy-details-heading">"Policy details"</h2>
            <dl class="facts">
                <dt>"Type"</dt>
                <dd>{if p.aws_managed { "AWS managed" } else { "Customer managed" }}</dd>
                <dt>"Creation time"</dt>
                <dd>{time_or_dash(p.created_at)}</dd>
                <dt>"Edited time"</dt>
                <dd>{time_or_dash(p.updated_at)}</dd>
                <dt>"ARN"</dt>
                <dd>
                    <code data-testid="policy-arn">{p.arn.clone()}</code>
                </dd>
                <dt>"Description"</dt>
                <dd>{p.description.clone().unwrap_or_else(|| "-".to_owned())}</dd>
                <dt>"Default version"</dt>
                <dd data-testid="default-version">{p.default_version_id.clone()}</dd>
            </dl>
        </section>
    }
    .into_any()
}

fn delete_confirmation(p: &PolicyView, delete: ServerAction<DeletePolicy>) -> AnyView {
    let error = Signal::derive(move || delete.value().get().and_then(Result::err));
    let attached = p.attachment_count;
    let (name, arn) = (p.name.clone(), p.arn.clone());
    let cancel = details_href(&p.arn, "");
    view! {
        <section class="panel danger" role="dialog" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{format!("Delete {name}?")}</h2>
            <p>
                {format!(
                    "The policy is detached from the {attached} user groups and users it is attached to, and all its versions are deleted. This cannot be undone."
                )}
            </p>
            <ActionForm action=delete attr:aria-label="Delete policy">
                <input type="hidden" name="arn" value=arn />
                <Field id="delete-confirm" name="confirm" label="To confirm deletion, enter the policy name" required=true error=error />
                <FormAlert error=error fields=&["confirm"] />
                <div class="actions">
                    <a href=cancel>"Cancel"</a>
                    <button type="submit" class="danger">"Delete"</button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

fn tab_bar(arn: &str, current: &str) -> AnyView {
    view! {
        <nav class="tabs" aria-label="Policy sections">
            {TABS
                .iter()
                .map(|(id, label)| {
                    let selected = *id == current;
                    view! {
                        <a
                            href=details_href(arn, &format!("&tab={id}"))
                            class:selected=selected
                            aria-current=selected.then_some("page")
                        >
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
    .into_any()
}

fn permissions_tab(p: &PolicyView) -> AnyView {
    let summary = summarize(&p.document);
    view! {
        <h2>"Permissions defined in this policy"</h2>
        {summary.map(|s| view! { <PolicySummaryTable summary=s /> })}
        <h3>"JSON"</h3>
        <pre class="code policy-json" data-testid="policy-json">{p.document.clone()}</pre>
    }
    .into_any()
}

fn entities_tab(
    p: &PolicyView,
    entities: Result<Option<PolicyEntitiesView>, AppError>,
    actions: Actions,
) -> AnyView {
    let attach_error = Signal::derive(move || actions.attach.value().get().and_then(Result::err));
    let entities = match entities {
        Ok(Some(e)) => e,
        Ok(None) => return view! { <p>"Loading…"</p> }.into_any(),
        Err(e) => return view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
    };
    let arn = p.arn.clone();
    let rows: Vec<(String, &'static str, String)> = entities
        .groups
        .iter()
        .map(|g| (g.name.clone(), "Group", format!("group:{}", g.name)))
        .chain(
            entities
                .users
                .iter()
                .map(|u| (u.name.clone(), "User", format!("user:{}", u.name))),
        )
        .collect();
    let choices: Vec<(String, String)> = entities
        .other_groups
        .iter()
        .map(|g| (format!("group:{g}"), format!("User group: {g}")))
        .chain(
            entities
                .other_users
                .iter()
                .map(|u| (format!("user:{u}"), format!("User: {u}"))),
        )
        .collect();
    let table = if rows.is_empty() {
        view! { <p>"This policy is not attached to any user group or user."</p> }.into_any()
    } else {
        let arn = arn.clone();
        view! {
            <table class="table entities">
                <thead>
                    <tr>
                        <th scope="col">"Entity name"</th>
                        <th scope="col">"Entity type"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(name, kind, entity)| {
                            let arn = arn.clone();
                            view! {
                                <tr>
                                    <th scope="row">{name.clone()}</th>
                                    <td>{kind}</td>
                                    <td>
                                        <ActionForm action=actions.detach attr:aria-label=format!("Detach from {name}")>
                                            <input type="hidden" name="arn" value=arn.clone() />
                                            <input type="hidden" name="entity" value=entity />
                                            <button type="submit">"Detach"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
            .into_any()
    };
    let attach = if choices.is_empty() {
        view! { <p class="hint">"There is no other user group or user to attach the policy to."</p> }
            .into_any()
    } else {
        view! {
            <ActionForm action=actions.attach attr:aria-label="Attach policy" attr:class="inline-form">
                <input type="hidden" name="arn" value=arn />
                <div class="field">
                    <label for="attach-entity">"User group or user"</label>
                    <select id="attach-entity" name="entity">
                        {choices
                            .into_iter()
                            .map(|(value, label)| view! { <option value=value>{label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <FormAlert error=attach_error fields=&[] />
                <button type="submit">"Attach"</button>
            </ActionForm>
        }
            .into_any()
    };
    view! {
        <h2>"Entities attached"</h2>
        {table}
        <h3>"Attach policy"</h3>
        {attach}
    }
    .into_any()
}

fn tags_tab(p: &PolicyView, actions: Actions) -> AnyView {
    let tag_error = Signal::derive(move || actions.tag.value().get().and_then(Result::err));
    let arn = p.arn.clone();
    let read_only = p.aws_managed;
    let table = {
        let arn = arn.clone();
        tags_table(&p.tags, move |t| {
            let (arn, key) = (arn.clone(), t.key.clone());
            let label = format!("Remove tag {key}");
            (!read_only)
                .then(move || {
                    view! {
                        <ActionForm action=actions.untag attr:aria-label=label>
                            <input type="hidden" name="arn" value=arn />
                            <input type="hidden" name="key" value=key />
                            <button type="submit">"Remove"</button>
                        </ActionForm>
                    }
                })
                .into_any()
        })
    };
    let add = (!read_only).then(|| {
        view! {
            <h3>"Add tag"</h3>
            <ActionForm action=actions.tag attr:aria-label="Add tag" attr:class="inline-form">
                <input type="hidden" name="arn" value=arn />
                {tag_fields(tag_error, None)}
                <button type="submit">"Add tag"</button>
            </ActionForm>
        }
    });
    view! {
        <h2>"Tags"</h2>
        {table}
        {add}
    }
    .into_any()
}

type Comparison = Result<Option<((String, String), (String, String))>, AppError>;

fn versions_tab(
    p: &PolicyView,
    comparison: Comparison,
    compare: Option<(String, String)>,
    actions: Actions,
) -> AnyView {
    let arn = p.arn.clone();
    let read_only = p.aws_managed;
    let (sel_a, sel_b) = compare.unwrap_or_else(|| {
        let second = p
            .versions
            .get(1)
            .map(|v| v.version_id.clone())
            .unwrap_or_default();
        (second, p.default_version_id.clone())
    });
    let options = |selected: String| {
        p.versions
            .iter()
            .map(|v| {
                let id = v.version_id.clone();
                view! { <option value=id.clone() selected=id == selected>{id.clone()}</option> }
            })
            .collect_view()
    };
    let comparison_view = match comparison {
        Ok(Some(((a, left), (b, right)))) => view! {
            <div class="compare" role="region" aria-label="Version comparison">
                <div>
                    <h4>{a}</h4>
                    <pre class="code" data-testid="compare-left">{left}</pre>
                </div>
                <div>
                    <h4>{b}</h4>
                    <pre class="code" data-testid="compare-right">{right}</pre>
                </div>
            </div>
        }
        .into_any(),
        Ok(None) => ().into_any(),
        Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
    };
    view! {
        <h2>{format!("Policy versions ({})", p.versions.len())}</h2>
        <p class="hint">"A policy keeps up to 5 versions. The default version is the one in effect."</p>
        <table class="table versions">
            <thead>
                <tr>
                    <th scope="col">"Version"</th>
                    <th scope="col">"Creation time"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {p.versions
                    .iter()
                    .map(|v| {
                        let label = if v.is_default {
                            format!("{} (Default)", v.version_id)
                        } else {
                            v.version_id.clone()
                        };
                        let (arn1, arn2) = (arn.clone(), arn.clone());
                        let (id1, id2) = (v.version_id.clone(), v.version_id.clone());
                        let label1 = format!("Set {id1} as default");
                        let label2 = format!("Delete {id2}");
                        let controls = (!read_only && !v.is_default).then(move || {
                            view! {
                                <ActionForm action=actions.set_default attr:aria-label=label1 attr:class="inline">
                                    <input type="hidden" name="arn" value=arn1 />
                                    <input type="hidden" name="version_id" value=id1 />
                                    <button type="submit">"Set as default"</button>
                                </ActionForm>
                                <ActionForm action=actions.delete_version attr:aria-label=label2 attr:class="inline">
                                    <input type="hidden" name="arn" value=arn2 />
                                    <input type="hidden" name="version_id" value=id2 />
                                    <button type="submit">"Delete"</button>
                                </ActionForm>
                            }
                        });
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{time_or_dash(v.created_at)}</td>
                                <td>{controls}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {(p.versions.len() > 1)
            .then(|| {
                view! {
                    <h3>"Compare versions"</h3>
                    <form method="get" action="/policies/details" class="inline-form" aria-label="Compare versions">
                        <input type="hidden" name="arn" value=arn.clone() />
                        <input type="hidden" name="tab" value="versions" />
                        <div class="field">
                            <label for="compare-a">"Version A"</label>
                            <select id="compare-a" name="compare_a">{options(sel_a.clone())}</select>
                        </div>
                        <div class="field">
                            <label for="compare-b">"Version B"</label>
                            <select id="compare-b" name="compare_b">{options(sel_b.clone())}</select>
                        </div>
                        <button type="submit">"Compare"</button>
                    </form>
                }
            })}
        {comparison_view}
    }
    .into_any()
}

fn access_advisor_tab(p: &PolicyView, report: AdvisorReport) -> AnyView {
    let targets = if p.aws_managed {
        Vec::new()
    } else {
        vec![GenerateTarget {
            name: p.name.clone(),
            arn: p.arn.clone(),
        }]
    };
    let base_url = details_href(&p.arn, "&tab=access-advisor");
    view! { <AccessAdvisor kind=EntityKind::Policy report base_url targets /> }.into_any()
}
