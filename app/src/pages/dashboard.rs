//! The IAM dashboard: account facts and resource counts.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::dashboard;
use crate::components::denied::ErrorNotice;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| dashboard());
    view! {
        <Title text="Dashboard" />
        <h1>"IAM dashboard"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        view! {
                            <section class="panel" aria-labelledby="account-heading">
                                <h2 id="account-heading">"AWS Account"</h2>
                                <dl class="facts">
                                    <dt>"Account ID"</dt>
                                    <dd data-testid="account-id">{d.account_id}</dd>
                                    <dt>"Account alias"</dt>
                                    <dd>{d.account_alias.unwrap_or_else(|| "None".to_owned())}</dd>
                                    <dt>"Sign-in URL for IAM users in this account"</dt>
                                    <dd>
                                        <code data-testid="sign-in-url">{d.sign_in_url}</code>
                                    </dd>
                                </dl>
                            </section>
                            <section class="panel" aria-labelledby="resources-heading">
                                <h2 id="resources-heading">"IAM resources"</h2>
                                <dl class="counts">
                                    <div>
                                        <dt>"User groups"</dt>
                                        <dd>{d.groups}</dd>
                                    </div>
                                    <div>
                                        <dt>"Users"</dt>
                                        <dd>{d.users}</dd>
                                    </div>
                                    <div>
                                        <dt>"Customer managed policies"</dt>
                                        <dd>{d.policies}</dd>
                                    </div>
                                </dl>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
