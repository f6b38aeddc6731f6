//! Stripe.js in the card page: loaded from the provider's origin (the page's CSP allows exactly
//! that origin, on that page only), its card element mounted in the page, and the SetupIntent
//! confirmed by Stripe, so the card number never reaches this server. Browser only.

/// Why no card was confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardError {
    /// Stripe.js did not load (blocked, offline).
    Unavailable,
    /// Stripe refused the card; its message (in English) for the log.
    Refused(String),
}

/// A mounted card element and the Stripe object that made it.
#[derive(Clone)]
pub struct CardElement {
    #[cfg(feature = "hydrate")]
    stripe: wasm_bindgen::JsValue,
    #[cfg(feature = "hydrate")]
    card: wasm_bindgen::JsValue,
}

/// Loads Stripe.js (once) and mounts a card element into `#{element_id}`.
pub async fn mount(js_url: &str, publishable_key: &str, element_id: &str) -> Result<CardElement, CardError> {
    #[cfg(feature = "hydrate")]
    {
        browser::mount(js_url, publishable_key, element_id).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (js_url, publishable_key, element_id);
        Err(CardError::Unavailable)
    }
}

/// Confirms the SetupIntent with the card typed in the element: its id.
pub async fn confirm(card: &CardElement, client_secret: &str) -> Result<String, CardError> {
    #[cfg(feature = "hydrate")]
    {
        browser::confirm(card, client_secret).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (card, client_secret);
        Err(CardError::Unavailable)
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{CardElement, CardError};
    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn method(target: &JsValue, name: &str) -> Result<Function, CardError> {
        Reflect::get(target, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or(CardError::Unavailable)
    }

    fn message(value: &JsValue) -> String {
        Reflect::get(value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{value:?}"))
    }

    /// Adds `<script src=js_url>` and waits for it to run.
    async fn load(js_url: &str) -> Result<(), CardError> {
        let loaded = Reflect::get(&js_sys::global(), &"Stripe".into()).map_err(|_| CardError::Unavailable)?;
        if loaded.is_function() {
            return Ok(());
        }
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(CardError::Unavailable)?;
        let script = document.create_element("script").map_err(|_| CardError::Unavailable)?;
        script
            .set_attribute("src", js_url)
            .map_err(|_| CardError::Unavailable)?;
        let done = Promise::new(&mut |resolve, reject| {
            let _ = Reflect::set(&script, &"onload".into(), &resolve);
            let _ = Reflect::set(&script, &"onerror".into(), &reject);
        });
        document
            .head()
            .ok_or(CardError::Unavailable)?
            .append_child(&script)
            .map_err(|_| CardError::Unavailable)?;
        wasm_bindgen_futures::JsFuture::from(done)
            .await
            .map(|_| ())
            .map_err(|_| CardError::Unavailable)
    }

    pub async fn mount(js_url: &str, publishable_key: &str, element_id: &str) -> Result<CardElement, CardError> {
        load(js_url).await?;
        let global = js_sys::global();
        let stripe = method(&global, "Stripe")?
            .call1(&global, &publishable_key.into())
            .map_err(|e| CardError::Refused(message(&e)))?;
        let elements = method(&stripe, "elements")?
            .call0(&stripe)
            .map_err(|e| CardError::Refused(message(&e)))?;
        let card = method(&elements, "create")?
            .call1(&elements, &"card".into())
            .map_err(|e| CardError::Refused(message(&e)))?;
        method(&card, "mount")?
            .call1(&card, &format!("#{element_id}").into())
            .map_err(|e| CardError::Refused(message(&e)))?;
        Ok(CardElement { stripe, card })
    }

    pub async fn confirm(card: &CardElement, client_secret: &str) -> Result<String, CardError> {
        let payment_method = Object::new();
        Reflect::set(&payment_method, &"card".into(), &card.card).map_err(|_| CardError::Unavailable)?;
        let data = Object::new();
        Reflect::set(&data, &"payment_method".into(), &payment_method).map_err(|_| CardError::Unavailable)?;
        let promise = method(&card.stripe, "confirmCardSetup")?
            .call2(&card.stripe, &client_secret.into(), &data)
            .map_err(|e| CardError::Refused(message(&e)))?
            .dyn_into::<Promise>()
            .map_err(|_| CardError::Unavailable)?;
        let result = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|e| CardError::Refused(message(&e)))?;
        let error = Reflect::get(&result, &"error".into()).unwrap_or(JsValue::NULL);
        if !error.is_null() && !error.is_undefined() {
            return Err(CardError::Refused(message(&error)));
        }
        let intent = Reflect::get(&result, &"setupIntent".into()).map_err(|_| CardError::Unavailable)?;
        Reflect::get(&intent, &"id".into())
            .ok()
            .and_then(|id| id.as_string())
            .ok_or(CardError::Unavailable)
    }
}
