//! `/users/add-permissions?name=…`: **Add permissions** from a user's Permissions tab, in AWS's
//! steps: **Add user to group** (or **Attach policies directly**), pick, **Next: Review**, **Add
//! permissions**. The first step is a GET form back to this page (the choices travel in the query,
//! as in the Add users wizard); only **Add permissions** posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{policy_choices, query_string};
use crate::api::users::details::{AddUserPermissions, get_user, user_url};
use crate::api::users::group_choices;
use crate::components::checkbox_picker::{CheckboxPicker, PickerSpec};
use crate::error::AppError;
use crate::pages::groups::create::picker_state;

use super::create::{GROUPS_PICKER, USER_POLICIES_PICKER};

const PAGE: &str = "/users/add-permissions";
const ADD_GROUPS: PickerSpec = PickerSpec {
    page: PAGE,
    ..GROUPS_PICKER
};
const ADD_POLICIES: PickerSpec = PickerSpec {
    page: PAGE,
    ..USER_POLICIES_PICKER
};
const OPTIONS: &[(&str, &str)] = &[
    ("group", "Add user to group"),
    ("policies", "Attach policies directly"),
];

#[component]
pub fn AddUserPermissionsPage() -> impl IntoView {
    let q = use_query_map();
    let name = move || q.read().get("name").unwrap_or_default();
    let reviewing = move || q.read().get("step").as_deref() == Some("review");
    let user = Resource::new_blocking(name, get_user);
    let (gf, go, gs) = picker_state(&ADD_GROUPS);
    let (pf, po, ps) = picker_state(&ADD_POLICIES);
    let group_page =
        Resource::new_blocking(move || (gf.get(), go.get()), |(q, o)| group_choices(q, o));
    let policy_page =
        Resource::new_blocking(move || (pf.get(), po.get()), |(q, o)| policy_choices(q, o));
    let add = ServerAction::<AddUserPermissions>::new();
    let error = Signal::derive(move || {
        add.value().get().and_then(Result::err).or_else(|| {
            let q = q.read();
            q.get("error")
                .map(|m| AppError::invalid(q.get("error_field").unwrap_or_default(), m))
        })
    });
    let alert = move || {
        error
            .get()
            .map(|e| view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any())
    };

    view! {
        <Title text="Add permissions" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/users">"Users"</a>
            " › "
            <a href=move || user_url(&name(), Some("permissions"))>{name}</a>
            " › Add permissions"
        </nav>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = match user.await {
                    Ok(u) => u,
                    Err(e) => {
                        return view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any();
                    }
                };
                let q = q.get();
                let option = q
                    .get("permissions")
                    .filter(|p| p == "policies")
                    .unwrap_or_else(|| "group".to_owned());
                if reviewing() {
                    let groups = q.get_all("group_names[]").unwrap_or_default();
                    let policies = q.get_all("policy_arns[]").unwrap_or_default();
                    return review(&user.name, &option, groups, policies, add, alert).into_any();
                }
                let locked = Signal::stored(user.groups.clone());
                let options = OPTIONS
                    .iter()
                    .map(|(value, label)| {
                        let id = format!("permissions-{value}");
                        view! {
                            <div class="field radio">
                                <input type="radio" id=id.clone() name="permissions" value=*value
                                    checked=option == *value />
                                <label for=id>{*label}</label>
                            </div>
                        }
                    })
                    .collect_view();
                let no_error = Signal::stored(None::<AppError>);
                view! {
                    <h1>{format!("Add permissions to {}", user.name)}</h1>
                    <form method="get" action=PAGE class="panel wide-form" aria-label="Add permissions">
                        <input type="hidden" name="name" value=user.name.clone() />
                        {alert}
                        <fieldset class="permission-options">
                            <legend>"Permissions options"</legend>
                            <div class="option-list">{options}</div>
                            <div class="option-panel option-group">
                                <CheckboxPicker spec=ADD_GROUPS selected=gs filter=gf offset=go
                                    choices=group_page error=no_error locked=locked />
                            </div>
                            <div class="option-panel option-policies">
                                <CheckboxPicker spec=ADD_POLICIES selected=ps filter=pf offset=po
                                    choices=policy_page error=no_error />
                            </div>
                        </fieldset>
                        <div class="actions">
                            <a href=user_url(&user.name, Some("permissions"))>"Cancel"</a>
                            <button type="submit" name="step" value="review" class="primary">
                                "Next: Review"
                            </button>
                        </div>
                    </form>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

fn review(
    name: &str,
    option: &str,
    groups: Vec<String>,
    policies: Vec<String>,
    add: ServerAction<AddUserPermissions>,
    alert: impl Fn() -> Option<AnyView> + Send + Sync + 'static + Clone,
) -> impl IntoView {
    let (chosen, field, label) = if option == "policies" {
        (policies, "policy_arns[]", "Attach policies directly")
    } else {
        (groups, "group_names[]", "Add user to group")
    };
    let mut back_pairs = vec![("name", name), ("permissions", option)];
    back_pairs.extend(chosen.iter().map(|v| (field, v.as_str())));
    let back = format!("{PAGE}?{}", query_string(&back_pairs));
    let items = chosen
        .iter()
        .map(|v| view! { <li>{v.rsplit('/').next().unwrap_or(v).to_owned()}</li> })
        .collect_view();
    let hidden = chosen
        .into_iter()
        .map(|v| view! { <input type="hidden" name=field value=v /> })
        .collect_view();
    let name = name.to_owned();
    let option = option.to_owned();
    view! {
        <h1>"Review"</h1>
        <ActionForm action=add attr:class="panel" attr:aria-label="Review permissions">
            <input type="hidden" name="name" value=name.clone() />
            <input type="hidden" name="permissions" value=option.clone() />
            {hidden}
            <h2>"Permissions summary"</h2>
            <p class="hint">{label}</p>
            <ul aria-label="Permissions to add">{items}</ul>
            {alert.clone()}
            <div class="actions">
                <a href=user_url(&name, Some("permissions"))>"Cancel"</a>
                <a href=back.clone() class="button" rel="external">"Previous"</a>
                <button type="submit" class="primary">"Add permissions"</button>
            </div>
        </ActionForm>
    }
}
