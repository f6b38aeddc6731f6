//! The Referrals tab: the personal link (with a copy button once the page runs JavaScript),
//! what it brought (clicks, sign-ups, credit earned) and the referees, masked.

use super::loaded_tab;
use crate::api::referrals::load_referrals;
use crate::browser::copy_text;
use crate::components::{focus_by_id_in_place, DateTime};
use crate::context::{tr, use_lang};
use crate::i18n::Key;
use crate::model::{format_euros, ReferralsOverview};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// The Referrals tab, a lazily loaded route (its own WASM chunk, like every tab).
pub struct ReferralsRoute;

#[lazy_route]
impl LazyRoute for ReferralsRoute {
    fn data() -> Self {
        ReferralsRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabReferrals, load_referrals, |overview| {
            view! { <ReferralSections overview /> }.into_any()
        })
    }
}

#[component]
fn ReferralSections(overview: ReferralsOverview) -> impl IntoView {
    let lang = use_lang();
    let ReferralsOverview {
        url,
        clicks,
        signups,
        earned_cents,
        referees,
    } = overview;
    let copied = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let link = url.clone();
    let copy = move |_| {
        if copy_text(&link) {
            copied.set(true);
            // The confirmation is what changed: it is read out where focus lands.
            focus_by_id_in_place("referral-copied");
        }
    };
    let empty = referees.is_empty();
    let rows = referees
        .into_iter()
        .map(|referee| {
            view! {
                <tr data-testid="referee-row">
                    <td data-label=move || Key::RefereeName.text(lang.get())>{referee.masked_name}</td>
                    <td data-label=move || Key::RefereeSignedUp.text(lang.get())>
                        <DateTime stamp=referee.signed_up_at />
                    </td>
                    <td class="nowrap" data-label=move || Key::RefereeEarned.text(lang.get())>
                        {move || format_euros(referee.earned_cents, lang.get())}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="card-intro">{tr(Key::ReferralsIntro)}</p>
        <section class="card" id="referral-link" aria-labelledby="referral-link-heading">
            <h2 id="referral-link-heading">{tr(Key::ReferralLinkSection)}</h2>
            <div class="field">
                <label for="referral-url">{tr(Key::ReferralLinkLabel)}</label>
                <input id="referral-url" type="text" readonly=true value=url data-testid="referral-url" />
            </div>
            <Show when=move || hydrated.get()>
                <div class="form-actions">
                    <button type="button" class="button button-secondary" on:click=copy.clone()>
                        {tr(Key::CopyLinkButton)}
                    </button>
                    <span id="referral-copied" role="status" class="muted" tabindex="-1">
                        {move || copied.get().then(|| tr(Key::LinkCopiedNotice))}
                    </span>
                </div>
            </Show>
        </section>
        <section class="card" id="referral-stats" aria-labelledby="referral-stats-heading">
            <h2 id="referral-stats-heading">{tr(Key::ReferralStatsSection)}</h2>
            <dl class="facts">
                <div>
                    <dt>{tr(Key::ReferralClicks)}</dt>
                    <dd data-testid="referral-clicks">{clicks}</dd>
                </div>
                <div>
                    <dt>{tr(Key::ReferralSignups)}</dt>
                    <dd data-testid="referral-signups">{signups}</dd>
                </div>
                <div>
                    <dt>{tr(Key::ReferralEarned)}</dt>
                    <dd data-testid="referral-earned">{move || format_euros(earned_cents, lang.get())}</dd>
                </div>
            </dl>
        </section>
        <section class="card" id="referees" aria-labelledby="referees-heading">
            <h2 id="referees-heading">{tr(Key::RefereesSection)}</h2>
            {if empty {
                view! { <p class="empty-state" data-testid="no-referees">{tr(Key::NoReferees)}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table" data-testid="referees">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::RefereeName)}</th>
                                <th scope="col">{tr(Key::RefereeSignedUp)}</th>
                                <th scope="col">{tr(Key::RefereeEarned)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}
