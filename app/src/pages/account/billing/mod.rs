//! The Billing tab: the prepaid credit, payment methods, the billing profile, invoices and the
//! billing history. The two lists page through the URL (`?invoices=2&history=3`), so paging
//! works without JavaScript and a page can be linked to.

mod card;
mod lists;
mod methods;
mod profile;

pub use card::CardRoute;

use super::TabError;
use crate::api::billing::{load_billing, LoadBilling};
use crate::context::{page_title, tr, use_lang};
use crate::i18n::Key;
use crate::model::{format_euros, BillingOverview};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{lazy_route, LazyRoute};

/// The Billing tab, a lazily loaded route (its own WASM chunk, like every tab).
pub struct BillingRoute;

#[lazy_route]
impl LazyRoute for BillingRoute {
    fn data() -> Self {
        BillingRoute
    }

    fn view(_this: Self) -> AnyView {
        let query = use_query_map();
        let page = move |name: &str| {
            query.with(|q| {
                q.get(name)
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .unwrap_or(1)
                    .max(1)
            })
        };
        let data = Resource::new(
            move || (page("invoices"), page("history")),
            |(invoices, history)| load_billing(invoices, history),
        );
        // Which list's heading takes focus once a new page of it is shown (set by its pager
        // link): the tab is drawn anew, and focus must not fall back to the page's top.
        let focus_after = RwSignal::new(None::<&'static str>);
        view! {
            <Title text=page_title(Key::TabBilling) />
            <Transition fallback=|| view! { <p class="loading" role="status">{tr(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(overview) => view! { <BillingSections initial=overview focus_after /> }.into_any(),
                        Err(error) => view! { <TabError error /> }.into_any(),
                    }
                })}
            </Transition>
        }
        .into_any()
    }
}

/// The tab's sections, over the data as it changes: an action that changes something reads the
/// data again into `overview`, and only what shows it is drawn again (forms, their messages and
/// where focus is stay as they are).
#[component]
fn BillingSections(initial: BillingOverview, focus_after: RwSignal<Option<&'static str>>) -> impl IntoView {
    let lang = use_lang();
    let invoices_page = initial.invoices.page;
    let price = initial.app_hour_price_cents;
    let configured = initial.payments_configured;
    let profile = initial.profile.clone();
    let invoices = initial.invoices.clone();
    let overview = RwSignal::new(initial);
    let read_again = ServerAction::<LoadBilling>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = read_again.value().get() {
            overview.set(fresh);
        }
    });
    let reload = Callback::new(move |()| {
        let history_page = overview.with_untracked(|o| o.history.page);
        read_again.dispatch(LoadBilling {
            invoices_page,
            history_page,
        });
    });
    let price_notice = move || {
        Key::PriceNotice
            .text(lang.get())
            .replace("{price}", &format_euros(price, lang.get()))
    };
    let credit = move || format_euros(overview.with(|o| o.credit_cents), lang.get());
    let has_method = Signal::derive(move || overview.with(|o| !o.methods.is_empty()));
    let purchase_key = Signal::derive(move || overview.with(|o| o.purchase_key.clone()));
    view! {
        <p class="card-intro">{tr(Key::BillingIntro)} " " {price_notice}</p>
        <section class="card" id="billing-credit" aria-labelledby="credit-heading">
            <h2 id="credit-heading">{tr(Key::CreditSection)}</h2>
            <dl class="facts">
                <div>
                    <dt>{tr(Key::CreditBalance)}</dt>
                    <dd data-testid="credit-balance">{credit}</dd>
                </div>
            </dl>
            <p class="muted">{tr(Key::CreditIntro)}</p>
            {configured.then(|| view! { <methods::BuyCreditForm reload has_method purchase_key /> })}
        </section>
        <methods::PaymentMethodsSection overview reload />
        <profile::ProfileSection profile />
        <lists::InvoicesSection invoices focus_after />
        {move || {
            let history = overview.with(|o| o.history.clone());
            view! { <lists::HistorySection history focus_after /> }
        }}
    }
}
