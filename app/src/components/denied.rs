//! How a page says what it may not show: an access denial names the action and the resource that
//! were refused, and other errors show their message. [`PermissionGate`] shows a create page's
//! form only to those who may use it.

use leptos::prelude::*;

use crate::api::permissions::{ConsoleAccess, check_create_permission, console_permissions};
use crate::error::AppError;

/// The error of a page or section; a denial in the form "You don't have permission to
/// `iam:ListUsers` on `*`".
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::AccessDenied {
            action, resource, ..
        } => view! {
            <section class="panel denied" role="alert" aria-label="Access denied">
                <h2>"Access denied"</h2>
                <p>
                    "You don't have permission to " <code class="action">{action}</code> " on "
                    <code class="resource">{resource}</code> "."
                </p>
                <p class="hint">
                    "Ask an administrator for a policy that allows this action, then reload the page."
                </p>
            </section>
        }
        .into_any(),
        other => view! { <p class="alert" role="alert">{other.to_string()}</p> }.into_any(),
    }
}

/// Shows `children` when the caller may perform the create `action` (`iam:CreateUser`,
/// `iam:CreateGroup`, `iam:CreatePolicy`), and the denial otherwise. The action's own server
/// function still decides; this only spares a form that would be refused.
#[component]
pub fn PermissionGate(action: &'static str, children: ChildrenFn) -> impl IntoView {
    let check = Resource::new_blocking(|| (), move |_| check_create_permission(action.to_owned()));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match check.await {
                        Err(e @ AppError::AccessDenied { .. }) => {
                            view! { <ErrorNotice error=e /> }.into_any()
                        }
                        _ => children().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The console permissions of the signed-in principal, fetched by the layout on every page, so
/// that a policy change shows in the navigation at the next page, also between client-side
/// navigations.
#[derive(Clone, Copy)]
pub struct PermissionsContext(pub Resource<Result<ConsoleAccess, AppError>>);

/// Fetches the console permissions and shares them with the pages under the layout.
pub fn provide_console_permissions() -> Resource<Result<ConsoleAccess, AppError>> {
    let location = leptos_router::hooks::use_location();
    let permissions =
        Resource::new_blocking(move || location.pathname.get(), |_| console_permissions());
    provide_context(PermissionsContext(permissions));
    permissions
}

/// Shows `children` (a primary button) unless the principal's policies do not allow what it
/// leads to; when that is unknown, it is shown and the page decides.
#[component]
pub fn IfPermitted(allowed: fn(&ConsoleAccess) -> bool, children: ChildrenFn) -> impl IntoView {
    let permissions = use_context::<PermissionsContext>().map(|c| c.0);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let show = match permissions {
                        Some(p) => p.await.map(|p| allowed(&p)).unwrap_or(true),
                        None => true,
                    };
                    show.then(|| children())
                })
            }}
        </Suspense>
    }
}
