//! `/groups/details?name=…`: a group's summary, and the Users and Permissions tabs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::access_advisor::EntityKind;
use crate::api::groups::{
    DeleteGroupInlinePolicy, DetachGroupPolicy, GroupView, RemoveGroupMember, details_url,
    get_group, policy_type_label, query_string,
};
use crate::components::access_advisor::{
    AccessAdvisor, AdvisorReport, GenerateTarget, advisor_report,
};
use crate::components::datetime::format_time;
use crate::components::form::FormAlert;

#[component]
pub fn GroupDetailsPage() -> impl IntoView {
    let query = use_query_map();
    let name = move || query.read().get("name").unwrap_or_default();
    let tab = move || {
        query
            .read()
            .get("tab")
            .unwrap_or_else(|| "users".to_owned())
    };
    let remove = ServerAction::<RemoveGroupMember>::new();
    let detach = ServerAction::<DetachGroupPolicy>::new();
    let delete_inline = ServerAction::<DeleteGroupInlinePolicy>::new();
    let group = Resource::new_blocking(
        move || {
            (
                name(),
                remove.version().get(),
                detach.version().get(),
                delete_inline.version().get(),
            )
        },
        |(name, ..)| get_group(name),
    );
    let advisor = advisor_report(EntityKind::Group, move || {
        (tab() == "access-advisor").then(name)
    });
    let error = Signal::derive(move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| detach.value().get().and_then(Result::err))
            .or_else(|| delete_inline.value().get().and_then(Result::err))
    });
    let notice = move || {
        (query.read().get("notice").as_deref() == Some("renamed")).then_some("User group renamed.")
    };

    view! {
        <Title text=move || format!("{} - User groups", name()) />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            {move || format!(" › {}", name())}
        </nav>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <FormAlert error=error fields=&[] />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match group.await {
                    Ok(g) => {
                        let tab = tab();
                        view! { <GroupDetails group=g tab remove detach delete_inline advisor /> }.into_any()
                    }
                    Err(e) => {
                        view! {
                            <h1>{name()}</h1>
                            <p class="alert" role="alert">
                                {e.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn GroupDetails(
    group: GroupView,
    tab: String,
    remove: ServerAction<RemoveGroupMember>,
    detach: ServerAction<DetachGroupPolicy>,
    delete_inline: ServerAction<DeleteGroupInlinePolicy>,
    advisor: AdvisorReport,
) -> impl IntoView {
    let name = group.name.clone();
    let q = query_string(&[("name", &name)]);
    let advisor_tab = tab == "access-advisor";
    let users_tab = tab != "permissions" && !advisor_tab;
    let policy_count = group.attached_policies.len() + group.inline_policy_names.len();
    let tab_link = |label: String, key: &'static str, current: bool| {
        view! {
            <a href=details_url(&name, Some(key), None) aria-current=current.then_some("page")>
                {label}
            </a>
        }
    };
    view! {
        <div class="page-head">
            <h1>{name.clone()}</h1>
            <a class="button" href=format!("/groups/edit?{q}")>
                "Edit"
            </a>
            <a class="button danger" href=format!("/groups/delete?{q}")>
                "Delete"
            </a>
        </div>
        <section class="panel" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Summary"</h2>
            <dl class="facts">
                <dt>"User group name"</dt>
                <dd data-testid="group-name">{name.clone()}</dd>
                <dt>"Creation time"</dt>
                <dd>{format_time(group.created_at)}</dd>
                <dt>"ARN"</dt>
                <dd>
                    <code data-testid="group-arn">{group.arn.clone()}</code>
                </dd>
            </dl>
        </section>
        <nav class="tabs" aria-label="Group details">
            {tab_link(format!("Users ({})", group.members.len()), "users", users_tab)}
            {tab_link(format!("Permissions ({policy_count})"), "permissions", tab == "permissions")}
            {tab_link("Access Advisor".to_owned(), "access-advisor", advisor_tab)}
        </nav>
        {if advisor_tab {
            view! { <GroupAccessAdvisor group report=advisor /> }.into_any()
        } else if users_tab {
            view! { <MembersTab group remove /> }.into_any()
        } else {
            view! { <PermissionsTab group detach delete_inline /> }.into_any()
        }}
    }
}

#[component]
fn MembersTab(group: GroupView, remove: ServerAction<RemoveGroupMember>) -> impl IntoView {
    let q = query_string(&[("name", &group.name)]);
    let name = group.name.clone();
    let empty = group.members.is_empty();
    let rows = group
        .members
        .into_iter()
        .map(|user| {
            let name = name.clone();
            view! {
                <tr>
                    <td>{user.clone()}</td>
                    <td>
                        <ActionForm action=remove attr:class="inline">
                            <input type="hidden" name="name" value=name />
                            <input type="hidden" name="user_name" value=user.clone() />
                            <button type="submit" aria-label=format!("Remove {user}")>
                                "Remove"
                            </button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="members-heading">
            <div class="section-head">
                <h2 id="members-heading">"Users in this group"</h2>
                <a class="button" href=format!("/groups/add-users?{q}")>
                    "Add users"
                </a>
            </div>
            <table class="list" aria-label="Users in this group">
                <thead>
                    <tr>
                        <th>"User name"</th>
                        <th>"Actions"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {empty.then(|| view! { <p class="empty">"No users in this group."</p> })}
        </section>
    }
}

#[component]
fn PermissionsTab(
    group: GroupView,
    detach: ServerAction<DetachGroupPolicy>,
    delete_inline: ServerAction<DeleteGroupInlinePolicy>,
) -> impl IntoView {
    let q = query_string(&[("name", &group.name)]);
    let name = group.name.clone();
    let empty = group.attached_policies.is_empty() && group.inline_policy_names.is_empty();
    let managed = group
        .attached_policies
        .into_iter()
        .map(|p| {
            let name = name.clone();
            view! {
                <tr>
                    <td>
                        <a href=format!(
                            "/policies/details?{}",
                            query_string(&[("arn", &p.arn)]),
                        )>{p.name.clone()}</a>
                    </td>
                    <td>{policy_type_label(p.aws_managed)}</td>
                    <td>
                        <ActionForm action=detach attr:class="inline">
                            <input type="hidden" name="name" value=name />
                            <input type="hidden" name="policy_arn" value=p.arn />
                            <button type="submit" aria-label=format!("Remove {}", p.name)>
                                "Remove"
                            </button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let inline = group
        .inline_policy_names
        .into_iter()
        .map(|policy| {
            let name = name.clone();
            let edit = format!(
                "/groups/inline?{}",
                query_string(&[("name", &name), ("policy", &policy)])
            );
            view! {
                <tr>
                    <td>{policy.clone()}</td>
                    <td>"Customer inline"</td>
                    <td>
                        <a href=edit aria-label=format!("Edit {policy}")>
                            "Edit"
                        </a>
                        " "
                        <ActionForm action=delete_inline attr:class="inline">
                            <input type="hidden" name="name" value=name />
                            <input type="hidden" name="policy_name" value=policy.clone() />
                            <button type="submit" aria-label=format!("Remove {policy}")>
                                "Remove"
                            </button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="policies-heading">
            <div class="section-head">
                <h2 id="policies-heading">"Permissions policies"</h2>
                <a class="button" href=format!("/groups/attach?{q}")>
                    "Attach policies"
                </a>
                <a class="button" href=format!("/groups/inline?{q}")>
                    "Create inline policy"
                </a>
            </div>
            <p class="hint">"You can attach up to 10 managed policies."</p>
            <table class="list" aria-label="Permissions policies">
                <thead>
                    <tr>
                        <th>"Policy name"</th>
                        <th>"Type"</th>
                        <th>"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {managed}
                    {inline}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="empty">"No policies are attached to this group."</p> })}
        </section>
    }
}

#[component]
fn GroupAccessAdvisor(group: GroupView, report: AdvisorReport) -> impl IntoView {
    let targets = group
        .attached_policies
        .iter()
        .filter(|p| !p.aws_managed)
        .map(|p| GenerateTarget {
            name: p.name.clone(),
            arn: p.arn.clone(),
        })
        .collect();
    let base_url = details_url(&group.name, Some("access-advisor"), None);
    view! { <AccessAdvisor kind=EntityKind::Group report base_url targets /> }
}
