//! The Portcullis console: pages, components and the server functions behind them.
//!
//! Built twice: with `ssr` for the server (rendering, server functions) and with `hydrate` for the
//! browser, where it takes over the server-rendered page.

// Deep view types (the policy editor inside a suspended form) need more than the default 128.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod pages;
pub mod raw_text;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use components::layout::ConsoleLayout;
use pages::groups::{
    GroupsPage, attach::AttachGroupPoliciesPage, create::CreateGroupPage,
    details::GroupDetailsPage, edit::DeleteGroupPage, edit::EditGroupPage,
    inline::InlinePolicyPage, members::AddGroupMembersPage,
};
use pages::{
    dashboard::DashboardPage, not_found::NotFoundPage, setup::SetupPage, signin::SignInPage,
};

use pages::change_password::ChangePasswordPage;
use pages::events::EventsPage;
use pages::settings::{
    AccountSettingsPage,
    alias::{DeleteAliasPage, EditAliasPage},
    password_policy::{EditPasswordPolicyPage, ResetPasswordPolicyPage},
};
use pages::users::access_keys::AccessKeyCreatedPage;

use pages::users::delete::DeleteUserPage;
use pages::users::{
    UsersPage, add_permissions::AddUserPermissionsPage, create::CreateUsersPage,
    created::CreatedUsersPage, details::UserDetailsPage,
};

use pages::policies::{
    PoliciesPage, create::CreatePolicyPage, details::PolicyDetailsPage, edit::EditPolicyPage,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The document title, `<page> | Portcullis`. A page's part can be a user or group name from the
/// URL, so it goes through [`raw_text::title_text`] (leptos_meta writes `<title>` unescaped).
fn page_title(page: String) -> String {
    raw_text::title_text(format!("{page} | Portcullis"))
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: this marks the page once the wasm has taken it over, which
    // the browser tests wait for.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="portcullis" href="/pkg/portcullis.css" />
        <Title formatter=page_title />
        // Every route renders in full before it is sent (`SsrMode::Async`): out-of-order streaming
        // needs JavaScript to put resolved data in place, and the console must work without it.
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/signin/:account") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/change-password") view=ChangePasswordPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=ConsoleLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/policies") view=PoliciesPage ssr=SsrMode::Async />
                    <Route path=path!("/policies/create") view=CreatePolicyPage ssr=SsrMode::Async />
                    <Route path=path!("/policies/details") view=PolicyDetailsPage ssr=SsrMode::Async />
                    <Route path=path!("/policies/edit") view=EditPolicyPage ssr=SsrMode::Async />
                    <Route path=path!("/policies/generate") view=pages::policies::generate::GeneratePolicyPage ssr=SsrMode::Async />
                    <Route path=path!("/groups") view=GroupsPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/create") view=CreateGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/details") view=GroupDetailsPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/edit") view=EditGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/delete") view=DeleteGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/add-users") view=AddGroupMembersPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/attach") view=AttachGroupPoliciesPage ssr=SsrMode::Async />
                    <Route path=path!("/groups/inline") view=InlinePolicyPage ssr=SsrMode::Async />
                    <Route path=path!("/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/users/create") view=CreateUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/users/created") view=CreatedUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/users/details") view=UserDetailsPage ssr=SsrMode::Async />
                    <Route path=path!("/users/delete") view=DeleteUserPage ssr=SsrMode::Async />
                    <Route path=path!("/users/access-key") view=AccessKeyCreatedPage ssr=SsrMode::Async />
                    <Route path=path!("/users/add-permissions") view=AddUserPermissionsPage ssr=SsrMode::Async />
                    <Route path=path!("/events") view=EventsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=AccountSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/password-policy") view=EditPasswordPolicyPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/password-policy/reset") view=ResetPasswordPolicyPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/alias") view=EditAliasPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/alias/delete") view=DeleteAliasPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
