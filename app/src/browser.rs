//! Behaviour that only exists in the browser; every function here is a no-op while rendering on
//! the server, so components can call them unconditionally.

use leptos::prelude::*;

/// The browser's IANA time zone (`Europe/Paris`), from `Intl`.
pub fn time_zone() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::web_sys::js_sys::{Array, Intl, Object, Reflect};
        let options = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
        Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// While `dirty` is true, leaving the page asks first: closing or reloading the tab through the
/// browser's own prompt, following a link to another page through `message`.
pub fn warn_before_leaving(dirty: Signal<bool>, message: impl Fn() -> &'static str + 'static) {
    #[cfg(feature = "hydrate")]
    install_leave_guard(dirty, std::rc::Rc::new(message));
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (dirty, message);
    }
}

/// wasm-bindgen (0.2.130) writes the JavaScript side of a closure only from the main WASM
/// module: a closure signature that only a lazily loaded chunk creates fails the release build
/// ("index out of bounds" in `decode_generic_import`, where the splitter left a stub). `App`
/// calls this, which takes the address of one function per such signature, so they stay in
/// the main module; none of them runs. Add one here when that build error names a new one
/// (README, "Code splitting").
#[cfg(feature = "hydrate")]
pub fn keep_closures_in_main_module() {
    // `FnMut(MouseEvent)` (`Fn`) and the `beforeunload` listener: the leave guard of the
    // Basic information tab.
    std::hint::black_box(install_leave_guard as fn(Signal<bool>, std::rc::Rc<dyn Fn() -> &'static str>));
    // The `FnOnce()` timer behind focusing what an action changed, called from every tab.
    std::hint::black_box(crate::components::focus_by_id as fn(&'static str));
    std::hint::black_box(crate::components::focus_by_id_in_place as fn(&'static str));
    // tachys' own `FnOnce()` microtask (its closure type is part of the glue's name), queued
    // for every reactive `prop:value` (the pages' inputs).
    std::hint::black_box(
        leptos::tachys::renderer::dom::Dom::set_property_or_value
            as fn(&leptos::web_sys::Element, &str, &leptos::wasm_bindgen::JsValue),
    );
}

/// Disclosures marked `data-dismiss` (the account menu, the "asks first" confirmations) close
/// the way menus do: on Escape (focus goes back to their button), on a click outside them, and
/// when focus moves outside them (Tab). Three listeners for the whole page, installed once.
#[cfg(feature = "hydrate")]
pub fn dismiss_disclosures() {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, EventTarget, Node};

    fn open_disclosures() -> Vec<Element> {
        let Ok(list) = document().query_selector_all("details[data-dismiss][open]") else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<Element>().ok())
            .collect()
    }
    fn close_all_but_around(target: Option<EventTarget>) {
        let node = target.and_then(|t| t.dyn_into::<Node>().ok());
        for details in open_disclosures() {
            if !node.as_ref().is_some_and(|n| details.contains(Some(n))) {
                let _ = details.remove_attribute("open");
            }
        }
    }
    let _ = window_event_listener(leptos::ev::click, |ev| close_all_but_around(ev.target()));
    let _ = window_event_listener(leptos::ev::focusin, |ev| close_all_but_around(ev.target()));
    let _ = window_event_listener(leptos::ev::keydown, |ev| {
        if ev.key() != "Escape" {
            return;
        }
        let focused = document().active_element().map(Node::from);
        for details in open_disclosures() {
            let _ = details.remove_attribute("open");
            if focused.as_ref().is_some_and(|f| details.contains(Some(f))) {
                if let Ok(Some(summary)) = details.query_selector("summary") {
                    crate::components::focus(summary);
                }
            }
        }
    });
}

/// Counts the forms the page submits (`components::FormsSubmitted`), from one listener on the
/// window: a form that acts in place (`ActionForm`) still dispatches `submit` first.
#[cfg(feature = "hydrate")]
pub fn count_form_submissions(submitted: RwSignal<u64>) {
    let _ = window_event_listener(leptos::ev::submit, move |_| submitted.update(|n| *n += 1));
}

/// The listeners behind `warn_before_leaving`. Not generic, and kept in the main WASM module
/// (see `keep_closures_in_main_module`).
#[cfg(feature = "hydrate")]
#[inline(never)]
fn install_leave_guard(dirty: Signal<bool>, message: std::rc::Rc<dyn Fn() -> &'static str>) {
    {
        use leptos::wasm_bindgen::closure::Closure;
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::{HtmlAnchorElement, MouseEvent};

        // Set when the user follows a link that keeps what was typed (`data-keeps-input`, such
        // as "Sign in again" after a session ended): then leaving loses nothing.
        let leaving_safely = std::rc::Rc::new(std::cell::Cell::new(false));
        let safe = send_wrapper::SendWrapper::new(leaving_safely.clone());
        let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if dirty.get_untracked() && !safe.get() {
                ev.prevent_default();
                ev.set_return_value("");
            }
        });
        // The router follows links from a listener on `window`; this one on `document` runs
        // first, and a prevented click is ignored by the router and the browser alike.
        let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
            if !dirty.get_untracked() || ev.default_prevented() {
                return;
            }
            let anchor = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .and_then(|el| el.dyn_into::<HtmlAnchorElement>().ok());
            let Some(anchor) = anchor else { return };
            if anchor.has_attribute("data-keeps-input") {
                leaving_safely.set(true);
                return;
            }
            let here = window().location().pathname().unwrap_or_default();
            let same_page = anchor.pathname() == here && !anchor.hash().is_empty();
            if same_page || anchor.target() == "_blank" {
                return;
            }
            if !window().confirm_with_message(message()).unwrap_or(true) {
                ev.prevent_default();
            }
        });
        let callback = on_click
            .as_ref()
            .unchecked_ref::<leptos::web_sys::js_sys::Function>()
            .clone();
        let _ = document().add_event_listener_with_callback("click", &callback);
        // Cleanup must be Send; the browser is single-threaded, so the wrapper never moves.
        let listener = send_wrapper::SendWrapper::new((on_click, callback));
        on_cleanup(move || {
            unload.remove();
            let (closure, callback) = listener.take();
            let _ = document().remove_event_listener_with_callback("click", &callback);
            drop(closure);
        });
    }
}

/// Copies `text` to the clipboard (`navigator.clipboard.writeText`, looked up at run time so
/// no extra `web-sys` features are needed). `false` when the browser offers no clipboard.
pub fn copy_text(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::{JsCast, JsValue};
        use leptos::web_sys::js_sys::{Function, Reflect};
        let write = || -> Option<()> {
            let navigator = Reflect::get(&window(), &"navigator".into()).ok()?;
            let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok()?;
            let write_text = Reflect::get(&clipboard, &"writeText".into())
                .ok()?
                .dyn_into::<Function>()
                .ok()?;
            write_text.call1(&clipboard, &JsValue::from_str(text)).ok()?;
            Some(())
        };
        write().is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

/// Reads the file chosen in a file input (`ev` is its `change` event) as text and hands it to
/// `done`: `None` when it is larger than `max_bytes` or cannot be read. Nothing happens while
/// rendering on the server (the picker only appears once the page is hydrated).
pub fn read_chosen_file(ev: leptos::ev::Event, max_bytes: f64, done: impl FnOnce(Option<String>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::closure::Closure;
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::{FileReader, HtmlInputElement};

        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        // A wrong pick (a disk image, a video) is refused before reading it into memory.
        if file.size() > max_bytes {
            done(None);
            return;
        }
        let Ok(reader) = FileReader::new() else {
            done(None);
            return;
        };
        let finished = reader.clone();
        let on_end = Closure::once_into_js(move || done(finished.result().ok().and_then(|r| r.as_string())));
        reader.set_onloadend(Some(on_end.unchecked_ref()));
        let _ = reader.read_as_text(&file);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, max_bytes, done);
    }
}

/// Tells the page's script that the app has stopped (a panic; see the `frontend` crate). The
/// script (`assets::AssetLinks`) then leaves links, forms and the back button to the browser,
/// as without JavaScript, and follows the link clicked just before, if any: the tab whose
/// chunk could not be fetched opens as a page of its own.
pub fn app_stopped() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::{JsCast, JsValue};
        use leptos::web_sys::js_sys::{Function, Reflect};
        let stopped = Reflect::get(&window(), &"vestibuleAppStopped".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        if let Some(stopped) = stopped {
            let _ = stopped.call0(&JsValue::NULL);
        }
    }
}

/// Loads `url` as a new document (not the router's in-page navigation): for leaving a page
/// whose CSP differs from the rest of the app's (the card page's).
pub fn load_document(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}
