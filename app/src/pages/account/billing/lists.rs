//! The invoice list and the billing history: tables, newest first, paged through the URL.

use crate::components::{focus_by_id, DateTime};
use crate::context::{tr, use_lang};
use crate::i18n::Key;
use crate::model::{format_euros, BillingOperation, InvoiceSummary, Paged};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `?invoices=2&history=1`: the other list keeps its page.
fn page_link(list: &'static str, page: u32) -> String {
    let query = use_query_map();
    let other = if list == "invoices" { "history" } else { "invoices" };
    let other_page = query.with_untracked(|q| q.get(other)).unwrap_or_else(|| "1".into());
    let (invoices, history) = if list == "invoices" {
        (page.to_string(), other_page)
    } else {
        (other_page, page.to_string())
    };
    format!("/account/billing?invoices={invoices}&history={history}#{list}")
}

/// "Newer" and "Older" links and where the list stands; the heading of the list takes focus
/// when the new page is shown.
#[component]
fn Pager(
    list: &'static str,
    heading: &'static str,
    label: Key,
    page: u32,
    pages: u32,
    focus_after: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    let status = move || {
        Key::PageOf
            .text(lang.get())
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string())
    };
    let link = move |to: u32, rel: &'static str, text: Key| {
        view! {
            <a
                class="button button-secondary"
                rel=rel
                href=page_link(list, to)
                on:click=move |_| focus_after.set(Some(heading))
            >
                {tr(text)}
            </a>
        }
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=move || label.text(lang.get())>
                {(page > 1).then(|| link(page - 1, "prev", Key::NewerPage))}
                <span class="muted">{status}</span>
                {(page < pages).then(|| link(page + 1, "next", Key::OlderPage))}
            </nav>
        }
    })
}

/// Focus goes to `heading` if its pager asked for it (the tab was drawn anew for the page).
fn focus_if_asked(focus_after: RwSignal<Option<&'static str>>, heading: &'static str) {
    Effect::new(move |_| {
        if focus_after.get_untracked() == Some(heading) {
            focus_after.set(None);
            focus_by_id(heading);
        }
    });
}

#[component]
pub fn InvoicesSection(invoices: Paged<InvoiceSummary>, focus_after: RwSignal<Option<&'static str>>) -> impl IntoView {
    let lang = use_lang();
    focus_if_asked(focus_after, "invoices-heading");
    let Paged { items, page, pages, .. } = invoices;
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|invoice| {
            let download = format!("/account/billing/invoices/{}/pdf", invoice.id);
            let number = invoice.number.clone();
            let state = invoice.state;
            view! {
                <tr data-testid="invoice-row">
                    <td data-label=move || Key::InvoiceNumber.text(lang.get())>{invoice.number.clone()}</td>
                    <td data-label=move || Key::InvoicePeriod.text(lang.get())>{invoice.month.clone()}</td>
                    <td data-label=move || Key::InvoiceIssued.text(lang.get())>
                        <DateTime stamp=invoice.issued_at />
                    </td>
                    <td class="nowrap" data-label=move || Key::InvoiceTotalExclVat.text(lang.get())>
                        {move || format_euros(invoice.total_cents, lang.get())}
                    </td>
                    <td class="nowrap" data-label=move || Key::InvoiceTotalInclVat.text(lang.get())>
                        {move || format_euros(invoice.total_with_vat_cents, lang.get())}
                    </td>
                    <td data-label=move || Key::InvoiceStatus.text(lang.get())>
                        <span class=format!("badge badge-{}", state.code())>{tr(state.label())}</span>
                    </td>
                    <td>
                        <a href=download download="" rel="external">
                            // The visible "PDF" starts the link's name; the number tells the rows apart.
                            {tr(Key::InvoiceDownload)}
                            <span class="visually-hidden">" " {number}</span>
                        </a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="invoices" aria-labelledby="invoices-heading">
            <h2 id="invoices-heading" tabindex="-1">{tr(Key::InvoicesSection)}</h2>
            {if empty {
                view! { <p class="empty-state" data-testid="no-invoices">{tr(Key::NoInvoices)}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table" data-testid="invoices">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::InvoiceNumber)}</th>
                                <th scope="col">{tr(Key::InvoicePeriod)}</th>
                                <th scope="col">{tr(Key::InvoiceIssued)}</th>
                                <th scope="col">{tr(Key::InvoiceTotalExclVat)}</th>
                                <th scope="col">{tr(Key::InvoiceTotalInclVat)}</th>
                                <th scope="col">{tr(Key::InvoiceStatus)}</th>
                                <th scope="col">
                                    <span class="visually-hidden">{tr(Key::InvoiceDownload)}</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                    .into_any()
            }}
            <Pager list="invoices" heading="invoices-heading" label=Key::InvoicesSection page pages focus_after />
        </section>
    }
}

#[component]
pub fn HistorySection(history: Paged<BillingOperation>, focus_after: RwSignal<Option<&'static str>>) -> impl IntoView {
    let lang = use_lang();
    focus_if_asked(focus_after, "history-heading");
    let Paged { items, page, pages, .. } = history;
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|op| {
            let amount_class = if op.amount_cents < 0 {
                "amount amount-out"
            } else {
                "amount amount-in"
            };
            let description = match op.invoice.clone() {
                Some((_, number)) => {
                    Signal::derive(move || Key::HistoryInvoice.text(lang.get()).replace("{number}", &number))
                }
                None => Signal::stored(op.description.clone()),
            };
            view! {
                <tr data-testid="history-row">
                    <td data-label=move || Key::HistoryDate.text(lang.get())>
                        <DateTime stamp=op.at />
                    </td>
                    <td class=format!("nowrap {amount_class}") data-label=move || Key::HistoryAmount.text(lang.get())>
                        {move || format_euros(op.amount_cents, lang.get())}
                    </td>
                    <td data-label=move || Key::HistorySource.text(lang.get())>{tr(op.source.label())}</td>
                    <td data-label=move || Key::HistoryDescription.text(lang.get())>{description}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="history" aria-labelledby="history-heading">
            <h2 id="history-heading" tabindex="-1">{tr(Key::HistorySection)}</h2>
            {if empty {
                view! { <p class="empty-state" data-testid="no-history">{tr(Key::NoHistory)}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table" data-testid="history">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::HistoryDate)}</th>
                                <th scope="col">{tr(Key::HistoryAmount)}</th>
                                <th scope="col">{tr(Key::HistorySource)}</th>
                                <th scope="col">{tr(Key::HistoryDescription)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                    .into_any()
            }}
            <Pager list="history" heading="history-heading" label=Key::HistorySection page pages focus_after />
        </section>
    }
}
