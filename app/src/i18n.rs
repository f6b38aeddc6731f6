//! Every string a person can see, in English and French.
//!
//! The `messages!` macro takes both translations for each key, so a key without a French (or
//! English) text does not compile: no literal English can slip into a component.

use serde::{Deserialize, Serialize};

/// A language the interface is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 tag used in `<html lang>` and in the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The language's own name, shown in the language switcher whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }
}

macro_rules! messages {
    ($($key:ident => $en:literal, $fr:literal;)*) => {
        /// A translatable message.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Key { $($key),* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self { $(Key::$key => $en),* },
                    Lang::Fr => match self { $(Key::$key => $fr),* },
                }
            }
        }
    };
}

messages! {
    ProductName => "Vestibule", "Vestibule";
    SkipToContent => "Skip to main content", "Aller au contenu principal";
    // Preferences
    Theme => "Theme", "Thème";
    ThemeLight => "Light", "Clair";
    ThemeDark => "Dark", "Sombre";
    ThemeSystem => "System", "Système";
    Language => "Language", "Langue";
    // User menu
    AccountMenu => "Account menu", "Menu du compte";
    UserSettings => "User settings", "Paramètres du compte";
    SignOut => "Sign out", "Se déconnecter";
    SignedInAs => "Signed in as", "Connecté en tant que";
    // Sign-in
    SignInTitle => "Sign in", "Connexion";
    SignInIntro => "Sign in to manage your account.", "Connectez-vous pour gérer votre compte.";
    LoginLabel => "Username or e-mail", "Nom d’utilisateur ou e-mail";
    PasswordLabel => "Password", "Mot de passe";
    SignInButton => "Sign in", "Se connecter";
    SigningIn => "Signing in…", "Connexion…";
    NoAccountYet => "New here?", "Pas encore de compte ?";
    CreateAccountLink => "Create an account", "Créer un compte";
    SignedOutNotice => "You are signed out.", "Vous êtes déconnecté.";
    SignInRequiredNotice => "Sign in to continue.", "Connectez-vous pour continuer.";
    // Sign-up
    SignUpTitle => "Create your account", "Créer votre compte";
    SignUpIntro => "One account for your applications, keys and tokens.", "Un seul compte pour vos applications, clés et jetons.";
    UsernameLabel => "Username", "Nom d’utilisateur";
    UsernameHelp => "3 to 30 characters: lowercase letters, digits, “-” and “_”.", "3 à 30 caractères : lettres minuscules, chiffres, « - » et « _ ».";
    EmailLabel => "E-mail address", "Adresse e-mail";
    NewPasswordHelp => "At least 8 characters; a long passphrase of 15 or more is best.", "Au moins 8 caractères ; une longue phrase de passe de 15 caractères ou plus est idéale.";
    SignUpButton => "Create account", "Créer le compte";
    CreatingAccount => "Creating account…", "Création du compte…";
    HaveAccount => "Already have an account?", "Vous avez déjà un compte ?";
    SignInLink => "Sign in", "Se connecter";
    SignUpClosedTitle => "Sign-up is closed", "Les inscriptions sont fermées";
    SignUpClosedBody => "This platform does not accept new accounts. Ask its operators for an invitation.", "Cette plateforme n’accepte pas de nouveaux comptes. Demandez une invitation à ses opérateurs.";
    // Form errors
    ErrorSummaryTitle => "There is a problem", "Il y a un problème";
    ErrRequired => "This field is required.", "Ce champ est obligatoire.";
    ErrUsernameLength => "Use between 3 and 30 characters.", "Utilisez entre 3 et 30 caractères.";
    ErrUsernameChars => "Use only lowercase letters, digits, “-” and “_”, starting with a letter or a digit.", "Utilisez uniquement des lettres minuscules, des chiffres, « - » et « _ », en commençant par une lettre ou un chiffre.";
    ErrUsernameReserved => "This username is reserved. Choose another one.", "Ce nom d’utilisateur est réservé. Choisissez-en un autre.";
    ErrUsernameTaken => "This username is already taken. Choose another one.", "Ce nom d’utilisateur est déjà pris. Choisissez-en un autre.";
    ErrEmailInvalid => "Enter an e-mail address like name@example.com.", "Saisissez une adresse e-mail comme nom@exemple.fr.";
    ErrEmailTaken => "An account already uses this e-mail address. Sign in instead, or use another address.", "Un compte utilise déjà cette adresse e-mail. Connectez-vous, ou utilisez une autre adresse.";
    ErrPasswordTooShort => "Use at least 8 characters.", "Utilisez au moins 8 caractères.";
    ErrPasswordTooLong => "Use at most 1024 characters.", "Utilisez au plus 1024 caractères.";
    ErrPasswordCommon => "This password is too common and easy to guess. Choose a less predictable one.", "Ce mot de passe est trop courant et facile à deviner. Choisissez-en un moins prévisible.";
    ErrPasswordIsUsername => "Your password must not be your username or e-mail address.", "Votre mot de passe ne doit pas être votre nom d’utilisateur ou votre adresse e-mail.";
    ErrBadCredentials => "The username, e-mail or password is incorrect.", "Le nom d’utilisateur, l’e-mail ou le mot de passe est incorrect.";
    ErrTooManyAttempts => "Too many failed attempts. Wait a moment, then try again.", "Trop de tentatives échouées. Patientez un moment, puis réessayez.";
    ErrRetryIn => "You can try again in", "Vous pourrez réessayer dans";
    Seconds => "seconds", "secondes";
    ErrBusy => "The server is busy. Try again in a few seconds.", "Le serveur est occupé. Réessayez dans quelques secondes.";
    ErrInternal => "Something went wrong on our side. Try again; if it keeps happening, contact support with this reference:", "Une erreur est survenue de notre côté. Réessayez ; si cela se reproduit, contactez le support avec cette référence :";
    ErrSignUpClosed => "Sign-up is closed on this platform.", "Les inscriptions sont fermées sur cette plateforme.";
    // Account shell
    UserSettingsTitle => "User settings", "Paramètres du compte";
    AccountSections => "Account sections", "Sections du compte";
    TabBasic => "Basic information", "Informations générales";
    TabAuthentication => "Authentication", "Authentification";
    TabSshKeys => "SSH keys", "Clés SSH";
    TabApiTokens => "API tokens", "Jetons d’API";
    TabIntegrations => "SCM integrations", "Intégrations SCM";
    TabHds => "Health data", "Données de santé";
    TabReferrals => "Referrals", "Parrainage";
    TabBilling => "Billing", "Facturation";
    TabTimeline => "Timeline", "Historique";
    // Basic information
    ProfileSection => "Profile", "Profil";
    ProfileIntro => "The identity of your account on this platform.", "L’identité de votre compte sur cette plateforme.";
    MemberSince => "Member since", "Membre depuis";
    // Not found
    NotFoundTitle => "Page not found", "Page introuvable";
    NotFoundBody => "There is no page at this address. Check the link, or go back to your account.", "Il n’y a pas de page à cette adresse. Vérifiez le lien, ou revenez à votre compte.";
    BackToAccount => "Go to your account", "Aller à votre compte";
}

/// Shortcut used by components: `t(lang, Key::SignIn)`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    key.text(lang)
}

/// Picks the best supported language from an `Accept-Language` header value.
///
/// Honours q-values; anything unsupported or malformed is skipped, and English is the fallback.
pub fn negotiate(accept_language: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for item in accept_language.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split('-').next().unwrap_or("");
        let Some(lang) = Lang::from_code(primary) else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_translated_and_not_blank() {
        for key in Key::ALL {
            for lang in Lang::ALL {
                assert!(!key.text(lang).trim().is_empty(), "{key:?} is blank in {lang:?}");
            }
        }
    }

    #[test]
    fn french_differs_from_english_for_sentences() {
        // Identical texts are fine for names ("Vestibule"), not for sentences.
        for key in Key::ALL {
            let en = key.text(Lang::En);
            if en.contains(' ') {
                assert_ne!(en, key.text(Lang::Fr), "{key:?} looks untranslated");
            }
        }
    }

    #[test]
    fn accept_language_negotiation() {
        assert_eq!(negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(negotiate("de-DE,en;q=0.5,fr;q=0.7"), Lang::Fr);
        assert_eq!(negotiate("en-GB"), Lang::En);
        assert_eq!(negotiate("de"), Lang::En);
        assert_eq!(negotiate(""), Lang::En);
        assert_eq!(negotiate("fr;q=0, en"), Lang::En);
        assert_eq!(negotiate(";;;,,q=x"), Lang::En);
        assert_eq!(negotiate("fr;q=abc"), Lang::En);
    }
}
