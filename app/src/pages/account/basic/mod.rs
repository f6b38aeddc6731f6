//! The Basic information tab: profile, newsletter, legal documents and preferences. One server
//! call loads it all; each section then keeps its own state and saves on its own.

mod newsletter;
mod preferences;
mod profile;

use super::loaded_tab;
use crate::api::basic::{load_basic_info, LoadBasicInfo};
use crate::i18n::Key;
use crate::model::BasicInfo;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// The Basic information tab, a lazily loaded route: its code, its data's types and the call that loads
/// them are a WASM chunk of their own, fetched when the tab is first shown or its link is
/// hovered or focused (so the click rarely waits for it).
pub struct BasicRoute;

#[lazy_route]
impl LazyRoute for BasicRoute {
    fn data() -> Self {
        BasicRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabBasic, load_basic_info, |info| {
            view! { <Sections info /> }.into_any()
        })
    }
}

#[component]
fn Sections(info: BasicInfo) -> impl IntoView {
    let member_since = RwSignal::new(info.member_since);
    let newsletter = RwSignal::new(info.newsletter);
    let documents = RwSignal::new(info.documents);
    // A new time zone changes how every date reads: fetch them again, but leave the forms
    // (and anything typed in them) alone.
    let reload = ServerAction::<LoadBasicInfo>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            member_since.set(fresh.member_since);
            newsletter.set(fresh.newsletter);
            documents.set(fresh.documents);
        }
    });
    let on_time_zone_change = move || {
        reload.dispatch(LoadBasicInfo {});
    };
    view! {
        <profile::ProfileSection profile=info.profile email=info.email member_since />
        <newsletter::NewsletterSection state=newsletter />
        <super::documents::DocumentsSection documents />
        <preferences::PreferencesSection prefs=info.prefs on_time_zone_change />
    }
}
