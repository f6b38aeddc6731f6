//! The browser's passkey prompt: WebAuthn's `navigator.credentials.create` and `.get`, fed the
//! server's options as JSON (`PublicKeyCredential.parse…OptionsFromJSON`) and answered as JSON
//! (`toJSON()`), so no binary is handled here. Browser only: on the server there is no prompt.

/// Why the prompt gave no passkey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptError {
    /// Closed, timed out, or refused by the user: nothing to report but "nothing changed".
    Cancelled,
    /// The authenticator already holds a passkey for this account (`excludeCredentials`).
    AlreadyRegistered,
    /// No WebAuthn, or none of the JSON helpers (an old browser).
    Unsupported,
    Failed(String),
}

impl PromptError {
    /// What the page says, as a form-level error.
    pub fn key(&self) -> crate::i18n::Key {
        use crate::i18n::Key;
        match self {
            PromptError::Cancelled => Key::ErrPasskeyCancelled,
            PromptError::AlreadyRegistered => Key::ErrPasskeyDuplicate,
            PromptError::Unsupported => Key::PasskeysUnsupported,
            PromptError::Failed(_) => Key::ErrPasskeyRefused,
        }
    }
}

/// Whether this browser can run the prompt at all.
pub fn supported() -> bool {
    #[cfg(feature = "hydrate")]
    {
        browser::helper("parseRequestOptionsFromJSON").is_ok()
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Makes a passkey from the server's creation options; the answer's JSON.
pub async fn create(options: &str) -> Result<String, PromptError> {
    #[cfg(feature = "hydrate")]
    {
        browser::ceremony("parseCreationOptionsFromJSON", "create", options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(PromptError::Unsupported)
    }
}

/// Signs the server's challenge with a passkey the user picks; the answer's JSON.
pub async fn get(options: &str) -> Result<String, PromptError> {
    #[cfg(feature = "hydrate")]
    {
        browser::ceremony("parseRequestOptionsFromJSON", "get", options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(PromptError::Unsupported)
    }
}

/// Posts JSON to this server (same origin, cookies included); the status and the answer's text.
pub async fn post_json(url: &str, body: &str) -> Result<(u16, String), PromptError> {
    #[cfg(feature = "hydrate")]
    {
        browser::post_json(url, body).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, body);
        Err(PromptError::Unsupported)
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::PromptError;
    use js_sys::{Function, Object, Promise, Reflect, JSON};
    use wasm_bindgen::{JsCast, JsValue};

    fn failed(error: JsValue) -> PromptError {
        let name = Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string());
        match name.as_deref() {
            Some("NotAllowedError" | "AbortError") => PromptError::Cancelled,
            Some("InvalidStateError") => PromptError::AlreadyRegistered,
            Some("NotSupportedError") => PromptError::Unsupported,
            _ => PromptError::Failed(
                Reflect::get(&error, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_default(),
            ),
        }
    }

    fn method(target: &JsValue, name: &str) -> Result<Function, PromptError> {
        Reflect::get(target, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or(PromptError::Unsupported)
    }

    /// `PublicKeyCredential` and one of its static helpers.
    pub fn helper(name: &str) -> Result<(JsValue, Function), PromptError> {
        let class = Reflect::get(&js_sys::global(), &"PublicKeyCredential".into())
            .ok()
            .filter(|c| !c.is_undefined())
            .ok_or(PromptError::Unsupported)?;
        let function = method(&class, name)?;
        Ok((class, function))
    }

    pub async fn post_json(url: &str, body: &str) -> Result<(u16, String), PromptError> {
        let init = Object::new();
        let headers = Object::new();
        Reflect::set(&headers, &"content-type".into(), &"application/json".into()).map_err(failed)?;
        Reflect::set(&init, &"method".into(), &"POST".into()).map_err(failed)?;
        Reflect::set(&init, &"headers".into(), &headers).map_err(failed)?;
        Reflect::set(&init, &"body".into(), &body.into()).map_err(failed)?;
        Reflect::set(&init, &"credentials".into(), &"same-origin".into()).map_err(failed)?;
        let global = js_sys::global();
        let promise = method(&global, "fetch")?
            .call2(&global, &url.into(), &init)
            .map_err(failed)?
            .dyn_into::<Promise>()
            .map_err(failed)?;
        // A network failure is not the user's cancelling: say it failed.
        let response = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|e| PromptError::Failed(format!("{e:?}")))?;
        let status = Reflect::get(&response, &"status".into())
            .ok()
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0) as u16;
        let text = method(&response, "text")?
            .call0(&response)
            .map_err(failed)?
            .dyn_into::<Promise>()
            .map_err(failed)?;
        let text = wasm_bindgen_futures::JsFuture::from(text).await.map_err(failed)?;
        Ok((status, text.as_string().unwrap_or_default()))
    }

    pub async fn ceremony(parse: &str, call: &str, options: &str) -> Result<String, PromptError> {
        let (class, parse) = helper(parse)?;
        let json = JSON::parse(options).map_err(failed)?;
        let public_key = parse.call1(&class, &json).map_err(failed)?;
        let request = Object::new();
        Reflect::set(&request, &"publicKey".into(), &public_key).map_err(failed)?;
        let navigator = web_sys::window().ok_or(PromptError::Unsupported)?.navigator();
        let credentials = Reflect::get(&navigator, &"credentials".into()).map_err(failed)?;
        let promise = method(&credentials, call)?
            .call1(&credentials, &request)
            .map_err(failed)?
            .dyn_into::<Promise>()
            .map_err(failed)?;
        let credential = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(failed)?;
        if credential.is_null() {
            return Err(PromptError::Cancelled);
        }
        let plain = method(&credential, "toJSON")?.call0(&credential).map_err(failed)?;
        JSON::stringify(&plain).map(String::from).map_err(failed)
    }
}
