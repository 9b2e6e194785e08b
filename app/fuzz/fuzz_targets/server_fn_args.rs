//! Arbitrary bytes through the decoding of every server function's arguments, as server_fn 0.8
//! does it for a form body or a GET query (UTF-8, then `serde_qs` with its configuration), and
//! through the JSON and form texts the functions parse themselves (the Add users wizard's draft,
//! a policy's tags, a policy document shown for reading): nothing may panic, overflow the stack
//! or hang. The router tests (`server/src/router/hostile_tests.rs`) check the HTTP answers.
#![no_main]

use app::api::policies::{TagPair, pretty_json, readable_document};
use app::api::users::draft::{UsersDraft, name_problems};
use app::error::AppError;
use libfuzzer_sys::fuzz_target;

/// Decodes `text` as each type's arguments; the ones that decode are passed to `then`.
macro_rules! decode_each {
    ($text:expr, $then:ident; $($ty:path),+ $(,)?) => {{
        // `server_fn::codec::{GetUrl, PostUrl}`'s `from_req`.
        let config = serde_qs::Config::new(5, false);
        $(
            if let Ok(args) = config.deserialize_str::<$ty>($text) {
                $then(&args);
            }
        )+
    }};
}

/// Decoded arguments go on where they carry text of their own.
trait Further {
    fn further(&self) {}
}

fn further<T: Further>(args: &T) {
    args.further();
}

macro_rules! plain {
    ($($ty:path),+ $(,)?) => { $(impl Further for $ty {})+ };
}

plain!(
    app::api::access_advisor::ServiceLastAccessed,
    app::api::access_advisor::GeneratePolicy,
    app::api::access_keys::ListAccessKeys,
    app::api::access_keys::CreateAccessKey,
    app::api::access_keys::TakeAccessKey,
    app::api::access_keys::UpdateAccessKey,
    app::api::access_keys::DeleteAccessKey,
    app::api::account::Dashboard,
    app::api::auth::SignInRoot,
    app::api::auth::SignInUser,
    app::api::auth::SignOut,
    app::api::auth::SetupLinkStatus,
    app::api::auth::CompleteSetup,
    app::api::auth::Whoami,
    app::api::events::LookupEvents,
    app::api::groups::ListGroups,
    app::api::groups::PolicyChoices,
    app::api::groups::UserChoices,
    app::api::groups::CreateGroup,
    app::api::groups::GetGroup,
    app::api::groups::RenameGroup,
    app::api::groups::DeleteGroup,
    app::api::groups::AddGroupMembers,
    app::api::groups::RemoveGroupMember,
    app::api::groups::AttachGroupPolicies,
    app::api::groups::DetachGroupPolicy,
    app::api::groups::GetGroupInlinePolicy,
    app::api::groups::DeleteGroupInlinePolicy,
    app::api::password::PasswordChangeContext,
    app::api::password::ChangePassword,
    app::api::permissions::ConsolePermissions,
    app::api::permissions::CheckCreatePermission,
    app::api::policies::ListPolicies,
    app::api::policies::SearchManagedPolicies,
    app::api::policies::PolicyDocument,
    app::api::policies::GetPolicy,
    app::api::policies::DeletePolicy,
    app::api::policies::TagPolicy,
    app::api::policies::UntagPolicy,
    app::api::policies::PolicyEntities,
    app::api::policies::AttachPolicy,
    app::api::policies::DetachPolicy,
    app::api::policies::GetPolicyVersion,
    app::api::policies::SetDefaultPolicyVersion,
    app::api::policies::DeletePolicyVersion,
    app::api::settings::AccountSettings,
    app::api::settings::UpdatePasswordPolicy,
    app::api::settings::ResetPasswordPolicy,
    app::api::settings::SetAccountAlias,
    app::api::settings::DeleteAccountAlias,
    app::api::users::ListUsers,
    app::api::users::GroupChoices,
    app::api::users::TakeCreatedUsers,
    app::api::users::delete::DeleteUser,
    app::api::users::details::GetUser,
    app::api::users::details::SetConsolePassword,
    app::api::users::details::DisableConsoleAccess,
    app::api::users::details::RemoveUserFromGroup,
    app::api::users::details::AddUserPermissions,
    app::api::users::tags::UserTags,
    app::api::users::tags::TagUser,
    app::api::users::tags::UntagUser,
);

impl Further for app::api::users::CreateUsers {
    fn further(&self) {
        draft(&self.draft);
    }
}

impl Further for app::api::policies::CreatePolicy {
    fn further(&self) {
        tags(self.tags.as_deref().unwrap_or_default());
        document(&self.document);
    }
}

impl Further for app::api::policies::CreatePolicyVersion {
    fn further(&self) {
        document(&self.document);
    }
}

impl Further for app::api::groups::PutGroupInlinePolicy {
    fn further(&self) {
        document(&self.document);
    }
}

/// `create_users`' `draft`, and what the wizard does with one.
fn draft(text: &str) {
    let Ok(draft) = serde_json::from_str::<UsersDraft>(text) else {
        return;
    };
    let _ = draft.filled_names();
    let _ = draft.filled_tags();
    let _ = draft.chosen_groups();
    let _ = draft.chosen_copy_from();
    let _ = draft.chosen_policies();
    let _ = name_problems(&draft.names);
    let _ = draft.url("review");
    let _ = draft.error_url(&AppError::invalid("users[0].name", text));
    let _ = draft.error_url(&AppError::invalid("tags", text));
}

/// `create_policy`'s `tags`: a JSON list of `{key, value}`.
fn tags(text: &str) {
    let _ = serde_json::from_str::<Vec<TagPair>>(text);
}

/// A policy document as the details page shows it.
fn document(text: &str) {
    let _ = pretty_json(text);
    let _ = readable_document(text);
}

fuzz_target!(|data: &[u8]| {
    // server_fn reads the body as UTF-8 first (`try_into_string`); anything else is refused.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    decode_each!(text, further;
        app::api::access_advisor::ServiceLastAccessed,
        app::api::access_advisor::GeneratePolicy,
        app::api::access_keys::ListAccessKeys,
        app::api::access_keys::CreateAccessKey,
        app::api::access_keys::TakeAccessKey,
        app::api::access_keys::UpdateAccessKey,
        app::api::access_keys::DeleteAccessKey,
        app::api::account::Dashboard,
        app::api::auth::SignInRoot,
        app::api::auth::SignInUser,
        app::api::auth::SignOut,
        app::api::auth::SetupLinkStatus,
        app::api::auth::CompleteSetup,
        app::api::auth::Whoami,
        app::api::events::LookupEvents,
        app::api::groups::ListGroups,
        app::api::groups::PolicyChoices,
        app::api::groups::UserChoices,
        app::api::groups::CreateGroup,
        app::api::groups::GetGroup,
        app::api::groups::RenameGroup,
        app::api::groups::DeleteGroup,
        app::api::groups::AddGroupMembers,
        app::api::groups::RemoveGroupMember,
        app::api::groups::AttachGroupPolicies,
        app::api::groups::DetachGroupPolicy,
        app::api::groups::GetGroupInlinePolicy,
        app::api::groups::PutGroupInlinePolicy,
        app::api::groups::DeleteGroupInlinePolicy,
        app::api::password::PasswordChangeContext,
        app::api::password::ChangePassword,
        app::api::permissions::ConsolePermissions,
        app::api::permissions::CheckCreatePermission,
        app::api::policies::ListPolicies,
        app::api::policies::SearchManagedPolicies,
        app::api::policies::PolicyDocument,
        app::api::policies::GetPolicy,
        app::api::policies::CreatePolicy,
        app::api::policies::DeletePolicy,
        app::api::policies::TagPolicy,
        app::api::policies::UntagPolicy,
        app::api::policies::PolicyEntities,
        app::api::policies::AttachPolicy,
        app::api::policies::DetachPolicy,
        app::api::policies::GetPolicyVersion,
        app::api::policies::CreatePolicyVersion,
        app::api::policies::SetDefaultPolicyVersion,
        app::api::policies::DeletePolicyVersion,
        app::api::settings::AccountSettings,
        app::api::settings::UpdatePasswordPolicy,
        app::api::settings::ResetPasswordPolicy,
        app::api::settings::SetAccountAlias,
        app::api::settings::DeleteAccountAlias,
        app::api::users::ListUsers,
        app::api::users::GroupChoices,
        app::api::users::CreateUsers,
        app::api::users::TakeCreatedUsers,
        app::api::users::delete::DeleteUser,
        app::api::users::details::GetUser,
        app::api::users::details::SetConsolePassword,
        app::api::users::details::DisableConsoleAccess,
        app::api::users::details::RemoveUserFromGroup,
        app::api::users::details::AddUserPermissions,
        app::api::users::tags::UserTags,
        app::api::users::tags::TagUser,
        app::api::users::tags::UntagUser,
    );
    // The JSON texts on their own, so the fuzzer need not find their form encoding first.
    draft(text);
    tags(text);
    document(text);
    // The wizard's steps read the draft from a GET form's pairs.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect();
    let from_pairs = UsersDraft::from_pairs(|key| {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    });
    let _ = from_pairs.url("details");
});
