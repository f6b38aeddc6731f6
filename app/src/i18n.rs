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
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
            /// Each key's name, as it travels in JSON (error answers, the flash cookie).
            const NAMES: &'static [&'static str] = &[$(stringify!($key)),*];
            /// English and French, in key order: a table is data, where a `match` per
            /// language would be code in the browser's main WASM module.
            const TEXTS: &'static [[&'static str; 2]] = &[$([$en, $fr]),*];
        }
    };
}

impl Key {
    pub fn text(self, lang: Lang) -> &'static str {
        let texts = Key::TEXTS[self as usize];
        match lang {
            Lang::En => texts[0],
            Lang::Fr => texts[1],
        }
    }

    pub fn name(self) -> &'static str {
        Key::NAMES[self as usize]
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::NAMES.iter().position(|n| *n == name).map(|i| Key::ALL[i])
    }
}

// By name, as `#[derive]` would write it, but read back by one search over the names: the
// derived reader is a match over every key in each of the several formats it is read from,
// which made the largest functions of the browser's main WASM module (about 50 kB).
impl Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Key::from_name(&name).ok_or_else(|| serde::de::Error::unknown_variant(&name, &[]))
    }
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
    ErrPasswordControl => "The password cannot contain invisible control characters (such as a tab or a line break).", "Le mot de passe ne peut pas contenir de caractères de contrôle invisibles (comme une tabulation ou un saut de ligne).";
    ErrPasswordCommon => "This password is too common and easy to guess. Choose a less predictable one.", "Ce mot de passe est trop courant et facile à deviner. Choisissez-en un moins prévisible.";
    ErrPasswordIsUsername => "Your password must not be your username or e-mail address.", "Votre mot de passe ne doit pas être votre nom d’utilisateur ou votre adresse e-mail.";
    ErrBadCredentials => "The username, e-mail or password is incorrect.", "Le nom d’utilisateur, l’e-mail ou le mot de passe est incorrect.";
    ErrTooManyAttempts => "Too many failed attempts. Wait a moment, then try again.", "Trop de tentatives échouées. Patientez un moment, puis réessayez.";
    ErrTooManySignUps => "Too many sign-ups from your network. Try again later.", "Trop d’inscriptions depuis votre réseau. Réessayez plus tard.";
    ErrTooManySignUpMails => "Too many sign-up e-mails went to this address in the last hour. Try again later, or check that inbox for an earlier link.", "Trop d’e-mails d’inscription sont partis vers cette adresse dans l’heure. Réessayez plus tard, ou cherchez un lien précédent dans cette boîte.";
    ErrTooManyRequests => "Too many requests from your network. Try again later.", "Trop de demandes depuis votre réseau. Réessayez plus tard.";
    ErrPasswordsDiffer => "The two passwords are not the same.", "Les deux mots de passe ne sont pas identiques.";
    ErrResetLinkUnusable => "This link has expired or was already used. Ask for a new one.", "Ce lien a expiré ou a déjà servi. Demandez-en un nouveau.";
    ForgotPasswordLink => "Forgot your password?", "Mot de passe oublié ?";
    ForgotTitle => "Reset your password", "Réinitialiser votre mot de passe";
    ForgotIntro => "Enter the e-mail address of your account: we will send you a link to choose a new password.", "Saisissez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.";
    ForgotButton => "Send the link", "Envoyer le lien";
    ForgotBusy => "Sending…", "Envoi…";
    ForgotSentNotice => "If an account uses this address, a link is on its way. It works once, within an hour.", "Si un compte utilise cette adresse, un lien est en route. Il fonctionne une seule fois, pendant une heure.";
    ResetTitle => "Choose a new password", "Choisir un nouveau mot de passe";
    ResetIntro => "Every session and every API token of your account will be ended: sign in again, and make new tokens for your tools.", "Toutes les sessions et tous les jetons d’API de votre compte seront fermés : reconnectez-vous, et créez de nouveaux jetons pour vos outils.";
    NewPasswordLabel => "New password", "Nouveau mot de passe";
    ConfirmPasswordLabel => "New password, again", "Nouveau mot de passe, à nouveau";
    ResetButton => "Change my password", "Changer mon mot de passe";
    ResetBusy => "Changing…", "Modification…";
    AskNewLink => "Ask for a new link", "Demander un nouveau lien";
    PasswordResetNotice => "Your password was changed. Sign in with the new one.", "Votre mot de passe a été modifié. Connectez-vous avec le nouveau.";
    BackToSignIn => "Back to sign-in", "Retour à la connexion";
    ErrRetryIn => "You can try again in", "Vous pourrez réessayer dans";
    Seconds => "seconds", "secondes";
    ErrBusy => "The server is busy. Try again in a few seconds.", "Le serveur est occupé. Réessayez dans quelques secondes.";
    ErrInternal => "Something went wrong on our side. Try again; if it keeps happening, contact support with this reference:", "Une erreur est survenue de notre côté. Réessayez ; si cela se reproduit, contactez le support avec cette référence :";
    ErrInternalNoReference => "Something went wrong on our side. Try again in a moment; if it keeps happening, contact support.", "Une erreur est survenue de notre côté. Réessayez dans un instant ; si cela se reproduit, contactez le support.";
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
    FullnameLabel => "Full name", "Nom complet";
    LocationLabel => "Location", "Localisation";
    CompanyLabel => "Company", "Entreprise";
    BioLabel => "Profile text", "Texte de profil";
    BioHelp => "A few words about you or your work, up to 300 characters.", "Quelques mots sur vous ou votre activité, 300 caractères au plus.";
    OptionalHint => "optional", "facultatif";
    SaveProfile => "Save profile", "Enregistrer le profil";
    Saving => "Saving…", "Enregistrement…";
    SavedFields => "Saved. Changed:", "Enregistré. Modifié :";
    NothingChanged => "Nothing to save: no field has changed.", "Rien à enregistrer : aucun champ n’a changé.";
    UnsavedChanges => "You have unsaved changes. Leave this page anyway?", "Vous avez des modifications non enregistrées. Quitter cette page quand même ?";
    UnsavedBadge => "Unsaved changes", "Modifications non enregistrées";
    RestoredDraft => "We kept what you typed. Check it, then save.", "Nous avons gardé ce que vous aviez saisi. Vérifiez-le, puis enregistrez.";
    // Newsletter
    NewsletterSection => "Newsletter", "Lettre d’information";
    NewsletterIntro => "News about the platform, about once a month. No advertising.", "Les nouveautés de la plateforme, environ une fois par mois. Aucune publicité.";
    NewsletterOn => "You are subscribed", "Vous êtes abonné";
    NewsletterOff => "You are not subscribed", "Vous n’êtes pas abonné";
    NewsletterSince => "since", "depuis le";
    Subscribe => "Subscribe", "S’abonner";
    Unsubscribe => "Unsubscribe", "Se désabonner";
    NewsletterSubscribedNotice => "You are now subscribed to the newsletter.", "Vous êtes maintenant abonné à la lettre d’information.";
    NewsletterUnsubscribedNotice => "You are unsubscribed from the newsletter.", "Vous êtes désabonné de la lettre d’information.";
    // Legal documents
    DocTerms => "Terms of Service", "Conditions générales d’utilisation";
    DocPrivacy => "Privacy Policy", "Politique de confidentialité";
    DocDpa => "Data Processing Agreement", "Accord de traitement des données";
    DocumentsSection => "Legal documents", "Documents juridiques";
    DocumentsIntro => "The terms that apply to your account. Each acceptance is recorded with its date and language.", "Les conditions qui s’appliquent à votre compte. Chaque acceptation est enregistrée avec sa date et sa langue.";
    DocumentsEmpty => "No legal documents have been published on this platform yet.", "Aucun document juridique n’a encore été publié sur cette plateforme.";
    DocumentColumn => "Document", "Document";
    VersionLabel => "Version", "Version";
    PublishedOn => "Published on", "Publiée le";
    StatusColumn => "Status", "Statut";
    AcceptedOn => "Accepted on", "Acceptée le";
    NotAccepted => "Not accepted yet", "Pas encore acceptée";
    RequiredBadge => "Required", "Obligatoire";
    AcceptButton => "Accept", "Accepter";
    Accepting => "Accepting…", "Acceptation…";
    ReadLink => "Read", "Lire";
    AcceptedNotice => "Accepted. Thank you.", "Acceptée. Merci.";
    EarlierVersions => "Earlier versions you accepted", "Versions antérieures que vous avez acceptées";
    InLanguage => "in", "en";
    DocumentsBanner => "Updated documents need your acceptance:", "Des documents mis à jour attendent votre acceptation :";
    ReviewAndAccept => "Review and accept", "Consulter et accepter";
    EarlierVersionNotice => "This is an earlier version of this document.", "Ceci est une version antérieure de ce document.";
    ReadCurrentVersion => "Read the current version", "Lire la version en vigueur";
    CurrentVersionLabel => "Current version", "Version en vigueur";
    AcceptDocumentsLabel => "I have read and accept:", "J’ai lu et j’accepte :";
    ErrAcceptDocuments => "Accept the documents to create your account.", "Acceptez les documents pour créer votre compte.";
    ErrDocumentsChanged => "The documents were updated while you were signing up. Read the new versions, then accept them.", "Les documents ont été mis à jour pendant votre inscription. Lisez les nouvelles versions, puis acceptez-les.";
    ErrDocumentOutdated => "A newer version of this document has been published. Read it, then accept it.", "Une version plus récente de ce document a été publiée. Lisez-la, puis acceptez-la.";
    // Preferences
    PreferencesSection => "Preferences", "Préférences";
    PreferencesIntro => "How the dashboard looks and speaks to you, on every device you sign in from.", "L’apparence et la langue du tableau de bord, sur tous les appareils où vous vous connectez.";
    TimeZoneLabel => "Time zone", "Fuseau horaire";
    TimeZoneHelp => "Every date on this dashboard is shown in this time zone.", "Toutes les dates de ce tableau de bord sont affichées dans ce fuseau horaire.";
    BrowserTimeZone => "Your browser’s time zone is", "Le fuseau horaire de votre navigateur est";
    UseIt => "Use it", "L’utiliser";
    SavePreferences => "Save preferences", "Enregistrer les préférences";
    PreferencesSaved => "Preferences saved.", "Préférences enregistrées.";
    // Dates
    DateAt => "at", "à";
    // Errors from the server
    ErrControlChars => "Remove the invisible control characters from this text.", "Retirez les caractères de contrôle invisibles de ce texte.";
    ErrMax100 => "Use at most 100 characters.", "Utilisez au plus 100 caractères.";
    ErrMax300 => "Use at most 300 characters.", "Utilisez au plus 300 caractères.";
    ErrTimeZoneUnknown => "Choose a time zone from the list.", "Choisissez un fuseau horaire dans la liste.";
    ErrInvalidChoice => "Choose one of the options offered.", "Choisissez l’une des options proposées.";
    ErrSessionExpired => "Your session has ended, so this was not saved. Sign in again: what you typed is kept.", "Votre session a pris fin : rien n’a été enregistré. Reconnectez-vous ; ce que vous avez saisi est conservé.";
    SignInAgain => "Sign in again", "Se reconnecter";
    SessionEndedNotice => "Your session ended. Sign in again to continue where you were.", "Votre session a pris fin. Reconnectez-vous pour reprendre là où vous en étiez.";
    ErrForbidden => "You are not allowed to do this.", "Vous n’êtes pas autorisé à faire cela.";
    ErrNotFound => "This item does not exist, or no longer does.", "Cet élément n’existe pas, ou plus.";
    ErrBadRequest => "The request could not be read. Reload the page and try again.", "La requête n’a pas pu être lue. Rechargez la page et réessayez.";
    ErrNetwork => "The server could not be reached. Check your connection, then try again.", "Le serveur est injoignable. Vérifiez votre connexion, puis réessayez.";
    Loading => "Loading…", "Chargement…";
    // Timeline
    TimelineIntro => "Everything that happened on your account, newest first: sign-ins, changes, and who made them from where.", "Tout ce qui s’est passé sur votre compte, du plus récent au plus ancien : connexions, modifications, et d’où elles ont été faites.";
    CategoryLabel => "Category", "Catégorie";
    CategoryAll => "All events", "Tous les événements";
    CategorySecurity => "Sign-in and security", "Connexion et sécurité";
    CategoryProfile => "Profile and preferences", "Profil et préférences";
    CategoryKeys => "SSH keys", "Clés SSH";
    CategoryTokens => "API tokens", "Jetons d’API";
    CategoryApps => "Apps", "Applications";
    CategoryIntegrations => "Integrations", "Intégrations";
    CategoryBilling => "Billing", "Facturation";
    CategoryOther => "Other", "Autre";
    PeriodFrom => "From", "Du";
    PeriodTo => "To", "Au";
    ApplyFilters => "Show", "Afficher";
    ApplyingFilters => "Showing…", "Affichage…";
    EventsShownOne => "event shown.", "événement affiché.";
    EventsShownMany => "events shown.", "événements affichés.";
    ClearFilters => "Clear filters", "Effacer les filtres";
    ExportColumnTime => "Time", "Date et heure";
    ExportColumnEvent => "Event", "Événement";
    ExportColumnType => "Type", "Type";
    ExportColumnAddress => "Address", "Adresse";
    ExportColumnBrowser => "Browser", "Navigateur";
    ExportLabel => "Download these events:", "Télécharger ces événements :";
    NoEventsMatch => "No events match these filters. Try another category or a wider period.", "Aucun événement ne correspond à ces filtres. Essayez une autre catégorie ou une période plus large.";
    NewerEvents => "Newer events", "Événements plus récents";
    OlderEvents => "Older events", "Événements plus anciens";
    LoadingOlder => "Loading…", "Chargement…";
    NoOlderEvents => "There are no older events.", "Il n’y a pas d’événement plus ancien.";
    EventPages => "Pages of events", "Pages d’événements";
    UnknownEvent => "Event", "Événement";
    ErrDateInvalid => "Enter a date like 2026-11-23.", "Saisissez une date comme 2026-11-23.";
    ErrDateRange => "The start of the period must come before its end.", "Le début de la période doit précéder sa fin.";
    JustNow => "just now", "à l’instant";
    Ago => "ago", "il y a";
    Minute => "minute", "minute";
    Minutes => "minutes", "minutes";
    Hour => "hour", "heure";
    Hours => "hours", "heures";
    Yesterday => "yesterday", "hier";
    Day => "day", "jour";
    Days => "days", "jours";
    OnSystem => "on", "sous";
    FromAddress => "from", "depuis";
    EventNewUser => "Account created", "Compte créé";
    EventNewUserByOperator => "Account created by an operator", "Compte créé par un opérateur";
    EventLoginSuccess => "Signed in", "Connexion";
    EventLoginWithPasskey => "Signed in with a passkey", "Connexion avec une clé d’accès";
    EventNewPasskey => "Passkey added", "Clé d’accès ajoutée";
    EventDeletePasskey => "Passkey removed", "Clé d’accès supprimée";
    // Passkeys (Authentication tab and sign-in page)
    PasskeysHeading => "Passkeys", "Clés d’accès";
    PasskeysIntro => "Sign in with your fingerprint, face, screen lock or security key instead of your password and code. The passkey stays on your device; this server keeps only its public half.", "Connectez-vous avec votre empreinte, votre visage, le verrouillage de l’écran ou une clé de sécurité au lieu du mot de passe et du code. La clé reste sur votre appareil ; ce serveur n’en garde que la partie publique.";
    NoPasskeys => "No passkey yet.", "Aucune clé d’accès pour l’instant.";
    PasskeyNameHelp => "Where it lives, such as “Work laptop”.", "Où elle se trouve, par exemple « Portable du bureau ».";
    AddPasskeySubmit => "Add a passkey", "Ajouter une clé d’accès";
    AddingPasskey => "Waiting for your passkey…", "En attente de votre clé d’accès…";
    PasskeysNeedJs => "Passkeys need JavaScript: the browser’s passkey prompt can only be opened by a script. Everything else on this page works without it.", "Les clés d’accès demandent JavaScript : seul un script peut ouvrir la fenêtre de clé d’accès du navigateur. Tout le reste de cette page fonctionne sans.";
    PasskeysUnsupported => "This browser cannot use passkeys.", "Ce navigateur ne sait pas utiliser les clés d’accès.";
    PasskeysOff => "Passkeys are not available on this server.", "Les clés d’accès ne sont pas disponibles sur ce serveur.";
    PasskeyAddedNotice => "The passkey was added.", "La clé d’accès a été ajoutée.";
    PasskeyRenamedNotice => "The passkey was renamed.", "La clé d’accès a été renommée.";
    RenamePasskey => "Rename", "Renommer";
    RenamePasskeySubmit => "Save the name", "Enregistrer le nom";
    PasskeyRemovedNotice => "The passkey was removed.", "La clé d’accès a été supprimée.";
    RemovePasskey => "Remove", "Supprimer";
    RemovePasskeyWarning => "You will no longer be able to sign in with it. Your password still works.", "Vous ne pourrez plus vous connecter avec. Votre mot de passe fonctionne toujours.";
    RemovePasskeyConfirm => "Yes, remove the passkey", "Oui, supprimer la clé d’accès";
    PasskeyKindSynced => "Synced passkey", "Clé d’accès synchronisée";
    PasskeyKindSecurityKey => "Security key", "Clé de sécurité";
    PasskeyKindDevice => "On one device", "Sur un seul appareil";
    PasskeyKindLabel => "Kind", "Type";
    SignInWithPasskey => "Sign in with a passkey", "Se connecter avec une clé d’accès";
    ErrPasskeyCancelled => "The passkey prompt was closed or timed out. Nothing changed.", "La fenêtre de clé d’accès a été fermée ou a expiré. Rien n’a changé.";
    ErrPasskeyRefused => "This passkey could not be checked. Try again, or use your password.", "Cette clé d’accès n’a pas pu être vérifiée. Réessayez, ou utilisez votre mot de passe.";
    ErrPasskeyUnknown => "This passkey is not registered here. Sign in with your password, then add it on the Authentication tab.", "Cette clé d’accès n’est pas enregistrée ici. Connectez-vous avec votre mot de passe, puis ajoutez-la dans l’onglet Authentification.";
    ErrPasskeyCloned => "This passkey’s counter went backwards: it may have been copied. It was refused; remove it and add it again from the device you trust.", "Le compteur de cette clé d’accès est revenu en arrière : elle a peut-être été copiée. Elle a été refusée ; supprimez-la et ajoutez-la de nouveau depuis l’appareil de confiance.";
    ErrPasskeyExpired => "The passkey request expired. Try again.", "La demande de clé d’accès a expiré. Réessayez.";
    ErrPasskeyDuplicate => "This passkey is already on your account.", "Cette clé d’accès est déjà sur votre compte.";
    ErrNoPasskeys => "This account has no passkey yet: use your password and code.", "Ce compte n’a pas encore de clé d’accès : utilisez votre mot de passe et votre code.";
    ConfirmWithPasskey => "Confirm with a passkey", "Confirmer avec une clé d’accès";
    UsePasskeyInstead => "Use a passkey instead", "Utiliser une clé d’accès à la place";
    ErrPasskeyNameInvalid => "Give the passkey a name of 1 to 100 characters.", "Donnez à la clé d’accès un nom de 1 à 100 caractères.";
    ErrTooManyPasskeys => "You have reached 20 passkeys. Remove one first.", "Vous avez atteint 20 clés d’accès. Supprimez-en une d’abord.";
    EventLoginFailure => "Failed sign-in attempt", "Tentative de connexion échouée";
    EventLoginPaused => "(not checked: sign-in to the account was paused after repeated failures)", "(non vérifiée : la connexion au compte était suspendue après plusieurs échecs)";
    EventLogout => "Signed out", "Déconnexion";
    EventEditPassword => "Password changed", "Mot de passe modifié";
    EventPasswordResetByOperator => "Password reset by an operator", "Mot de passe réinitialisé par un opérateur";
    EventPasswordResetByLink => "Password reset with an e-mailed link", "Mot de passe réinitialisé par un lien reçu par e-mail";
    EventUsernameChanged => "Username changed:", "Nom d’utilisateur modifié :";
    EventEditProfile => "Profile updated", "Profil mis à jour";
    EventNewsletterOn => "Subscribed to the newsletter", "Abonnement à la lettre d’information";
    EventNewsletterOff => "Unsubscribed from the newsletter", "Désabonnement de la lettre d’information";
    EventEditPreferences => "Preferences changed", "Préférences modifiées";
    EventAccepted => "accepted", "acceptée";
    // Authentication tab
    AuthIntro => "How you sign in, and where you are signed in.", "Comment vous vous connectez, et où vous êtes connecté.";
    ReauthHeading => "Confirm it’s you", "Confirmez votre identité";
    ReauthIntro => "Changing your e-mail address, password, two-factor authentication or sessions, adding or removing SSH keys, creating or renewing API tokens, or deleting the account, needs your password from the last 10 minutes.", "Modifier votre adresse e-mail, votre mot de passe, la double authentification ou les sessions, ajouter ou supprimer des clés SSH, créer ou renouveler des jetons d’API, ou supprimer le compte, demande votre mot de passe saisi dans les 10 dernières minutes.";
    ReauthOpenUntil => "Sensitive changes are unlocked until", "Les modifications sensibles sont déverrouillées jusqu’à";
    ReauthSubmit => "Confirm", "Confirmer";
    Checking => "Checking…", "Vérification…";
    ReauthDone => "Confirmed. Sensitive changes are unlocked for 10 minutes.", "C’est confirmé. Les modifications sensibles sont déverrouillées pendant 10 minutes.";
    ErrReauthRequired => "For your security, confirm your password first.", "Pour votre sécurité, confirmez d’abord votre mot de passe.";
    ConfirmPasswordLink => "Confirm your password", "Confirmer votre mot de passe";
    ErrWrongPassword => "This is not your current password.", "Ce n’est pas votre mot de passe actuel.";
    TotpCodeLabel => "Authentication code", "Code d’authentification";
    TotpCodeHelp => "The 6-digit code from your authenticator app, or one of your recovery codes.", "Le code à 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.";
    ErrCodeRequired => "Enter the code from your authenticator app.", "Saisissez le code de votre application d’authentification.";
    ErrCodeWrong => "This code is not right. Check that your phone’s clock is on time and try the newest code.", "Ce code n’est pas le bon. Vérifiez que l’horloge de votre téléphone est à l’heure et essayez le code le plus récent.";
    ErrCodeReplayed => "This code was already used. Wait for the next one.", "Ce code a déjà servi. Attendez le suivant.";
    // Sign-up's link
    SignupSentTitle => "Check your inbox", "Consultez votre boîte de réception";
    SignupSentNotice => "We sent a link to the address you gave. Follow it within 24 hours to finish creating your account.", "Nous avons envoyé un lien à l’adresse indiquée. Suivez-le dans les 24 heures pour terminer la création de votre compte.";
    SignupSentHelp => "Nothing arrived? Check the spam folder, or sign up again in a few minutes.", "Rien reçu ? Regardez dans les indésirables, ou inscrivez-vous de nouveau dans quelques minutes.";
    SignupConfirmTitle => "Finish creating your account", "Terminer la création de votre compte";
    SignupConfirmIntro => "This link confirms your address. Type the password you chose when signing up to create the account. If you did not sign up, close this page: without that password, no account is created.", "Ce lien confirme votre adresse. Saisissez le mot de passe choisi à l’inscription pour créer le compte. Si vous ne vous êtes pas inscrit, fermez cette page : sans ce mot de passe, aucun compte n’est créé.";
    SignupPasswordLabel => "The password you chose", "Le mot de passe choisi";
    ErrSignupPasswordWrong => "This is not the password chosen on the sign-up form.", "Ce n’est pas le mot de passe choisi à l’inscription.";
    SecurityReportTitle => "It was not me", "Ce n’était pas moi";
    SecurityReportIntro => "If you did not make the change the e-mail told you about, someone else may be using your account. This ends every session and revokes every API token of your account (and removes the SSH key the e-mail was about, if it was one). You can then reset your password.", "Si vous n’avez pas fait le changement dont parlait l’e-mail, quelqu’un d’autre utilise peut-être votre compte. Ce bouton ferme toutes les sessions et révoque tous les jetons d’API de votre compte (et supprime la clé SSH dont parlait l’e-mail, le cas échéant). Vous pourrez ensuite réinitialiser votre mot de passe.";
    SecurityReportButton => "End every session and token", "Fermer toutes les sessions et tous les jetons";
    SecurityReportDone => "Every session and API token of your account was ended. Reset your password now; if the second factor was changed, contact support.", "Toutes les sessions et tous les jetons d’API de votre compte ont été fermés. Réinitialisez maintenant votre mot de passe ; si la double authentification a été modifiée, contactez le support.";
    SecurityReportPasskeyRemoved => "The passkey the e-mail was about was removed.", "La clé d’accès dont parlait l’e-mail a été supprimée.";
    SecurityReportKeyRemoved => "The SSH key the e-mail was about was removed.", "La clé SSH dont parlait l’e-mail a été supprimée.";
    BadCredentialsHint => "After repeated failures, signing in to an account pauses for a few minutes, with this same message. Forgot your password? Reset it: that always works.", "Après plusieurs échecs, la connexion à un compte est suspendue quelques minutes, avec ce même message. Mot de passe oublié ? Réinitialisez-le : cela fonctionne toujours.";
    SignupConfirmButton => "Create my account", "Créer mon compte";
    ErrUsernameTakenMeanwhile => "Someone took this username in the meantime. Sign up again with another one.", "Quelqu’un a pris ce nom d’utilisateur entre-temps. Inscrivez-vous de nouveau avec un autre.";
    ErrAccountExistsSignIn => "An account already uses this address. Sign in instead.", "Un compte utilise déjà cette adresse. Connectez-vous plutôt.";
    SignUpAgain => "Sign up again", "S’inscrire de nouveau";
    // E-mail address
    EmailSection => "E-mail address", "Adresse e-mail";
    CurrentEmail => "Current address", "Adresse actuelle";
    NewEmailLabel => "New address", "Nouvelle adresse";
    NewEmailHelp => "We send a link to the new address; the change takes effect when you follow it.", "Nous envoyons un lien à la nouvelle adresse ; le changement prend effet quand vous le suivez.";
    ChangeEmailSubmit => "Send the confirmation link", "Envoyer le lien de confirmation";
    Sending => "Sending…", "Envoi…";
    EmailPendingTitle => "Waiting for confirmation", "En attente de confirmation";
    EmailPendingText => "Follow the link we sent to this address to start using it. The link works until", "Suivez le lien envoyé à cette adresse pour commencer à l’utiliser. Le lien fonctionne jusqu’au";
    ResendLink => "Send the link again", "Renvoyer le lien";
    CancelEmailChange => "Cancel the change", "Annuler le changement";
    EmailChangeSentNotice => "Link sent. Check the new address’s inbox; your current address stays in use until then.", "Lien envoyé. Consultez la boîte de réception de la nouvelle adresse ; l’adresse actuelle reste utilisée d’ici là.";
    EmailChangeResentNotice => "A new link is on its way; the previous one no longer works.", "Un nouveau lien est en route ; le précédent ne fonctionne plus.";
    EmailChangeCancelledNotice => "The change was cancelled. Your address stays as it is.", "Le changement a été annulé. Votre adresse reste la même.";
    ErrEmailSame => "This is already your address.", "C’est déjà votre adresse.";
    ErrEmailUnavailable => "This address cannot be used. Choose another one.", "Cette adresse ne peut pas être utilisée. Choisissez-en une autre.";
    ErrNoPendingEmail => "No change of address is waiting any more.", "Aucun changement d’adresse n’est plus en attente.";
    // E-mail links (new address confirms, old address reports)
    EmailConfirmTitle => "Confirm your new address", "Confirmer votre nouvelle adresse";
    EmailConfirmIntro => "Use this address for your account from now on. Sign-in by e-mail and notices will use it.", "Utiliser désormais cette adresse pour votre compte. La connexion par e-mail et les notifications l’utiliseront.";
    EmailConfirmButton => "Confirm the new address", "Confirmer la nouvelle adresse";
    EmailConfirmedNotice => "Your e-mail address was changed.", "Votre adresse e-mail a été modifiée.";
    GoToAccount => "Go to your account", "Aller à votre compte";
    ErrEmailLinkUnusable => "This link has expired, was replaced by a newer one or was already used.", "Ce lien a expiré, a été remplacé par un plus récent ou a déjà servi.";
    ErrEmailTakenMeanwhile => "Another account started using this address in the meantime: your address was not changed.", "Un autre compte utilise cette adresse entre-temps : votre adresse n’a pas été modifiée.";
    EmailReportTitle => "Was it not you?", "Ce n’était pas vous ?";
    EmailReportIntro => "Cancel the change of your account’s e-mail address, and end every session and API token of the account: whoever asked for it may be using them. If the change was already confirmed, your previous address comes back.", "Annulez le changement d’adresse e-mail de votre compte, et fermez toutes les sessions et tous les jetons d’API du compte : la personne qui l’a demandé les utilise peut-être. Si le changement a déjà été confirmé, votre adresse précédente est rétablie.";
    EmailReportButton => "Cancel the change", "Annuler le changement";
    EmailReportCancelled => "The change was cancelled: your address stays as it was. Every session and API token was ended. Reset your password now: the link goes to your address.", "Le changement a été annulé : votre adresse reste la même. Toutes les sessions et tous les jetons d’API ont été fermés. Réinitialisez maintenant votre mot de passe : le lien part à votre adresse.";
    EmailReportReverted => "Your previous address is back, and every session and API token was ended. Reset your password now: the link goes to your address.", "Votre adresse précédente est rétablie, et toutes les sessions et tous les jetons d’API ont été fermés. Réinitialisez maintenant votre mot de passe : le lien part à votre adresse.";
    EmailReportSignedOut => "Every session and API token was ended, but your previous address could not come back: contact support.", "Toutes les sessions et tous les jetons d’API ont été fermés, mais votre adresse précédente n’a pas pu être rétablie : contactez le support.";
    ResetPasswordLink => "Reset your password", "Réinitialiser votre mot de passe";
    // Password
    PasswordSection => "Password", "Mot de passe";
    CurrentPasswordLabel => "Current password", "Mot de passe actuel";
    ChangePasswordSubmit => "Change password", "Changer le mot de passe";
    PasswordChangedNotice => "Password changed. Your other sessions were signed out.", "Mot de passe modifié. Vos autres sessions ont été fermées.";
    RuleLength => "At least 8 characters", "Au moins 8 caractères";
    RuleLong => "15 characters or more is best", "15 caractères ou plus, c’est idéal";
    RuleNotName => "Not your username or e-mail address", "Ni votre nom d’utilisateur, ni votre adresse e-mail";
    RuleSame => "Both entries are the same", "Les deux saisies sont identiques";
    RuleMet => "met", "respecté";
    RuleNotMet => "not met yet", "pas encore respecté";
    // Two-factor authentication
    TfaSection => "Two-factor authentication", "Double authentification";
    TfaOffIntro => "Add a second step to sign-in: a code from an app on your phone, such as FreeOTP, Aegis or Google Authenticator. A stolen password is then not enough.", "Ajoutez une seconde étape à la connexion : un code donné par une application de votre téléphone, comme FreeOTP, Aegis ou Google Authenticator. Un mot de passe volé ne suffit alors plus.";
    BadgeOn => "On", "Activée";
    BadgeOff => "Off", "Désactivée";
    TfaStart => "Set up two-factor authentication", "Configurer la double authentification";
    TfaScanHelp => "Scan this QR code with your authenticator app, or type the setup key. Then enter the code it shows.", "Scannez ce QR code avec votre application d’authentification, ou saisissez la clé de configuration. Saisissez ensuite le code qu’elle affiche.";
    TfaQrLabel => "QR code for your authenticator app", "QR code pour votre application d’authentification";
    TfaSecretLabel => "Setup key", "Clé de configuration";
    TfaConfirm => "Turn on", "Activer";
    TfaOnSince => "On since", "Activée depuis le";
    TfaCodesLeft => "Unused recovery codes", "Codes de secours inutilisés";
    TfaFewCodes => "Only a few recovery codes are left. Make new ones so you are not locked out if you lose your phone.", "Il reste peu de codes de secours. Créez-en de nouveaux pour ne pas perdre l’accès si vous perdez votre téléphone.";
    TfaRegenerate => "Make new recovery codes", "Créer de nouveaux codes de secours";
    TfaRegenerateHelp => "New codes replace all the old ones.", "Les nouveaux codes remplacent tous les anciens.";
    TfaDisable => "Turn off two-factor authentication", "Désactiver la double authentification";
    TfaDisableHelp => "Enter a code from your app, or a recovery code, to turn it off.", "Saisissez un code de votre application, ou un code de secours, pour la désactiver.";
    TfaEnabledNotice => "Two-factor authentication is on.", "La double authentification est activée.";
    TfaDisabledNotice => "Two-factor authentication is off.", "La double authentification est désactivée.";
    CodesRegeneratedNotice => "New recovery codes are ready; the old ones no longer work.", "Les nouveaux codes de secours sont prêts ; les anciens ne fonctionnent plus.";
    RecoveryCodesTitle => "Your recovery codes", "Vos codes de secours";
    RecoveryCodesWarning => "Save these codes somewhere safe now: they are shown only this once. Each one signs you in once if you lose your phone.", "Enregistrez ces codes en lieu sûr maintenant : ils ne sont affichés qu’une fois. Chacun permet de vous connecter une fois si vous perdez votre téléphone.";
    Copy => "Copy", "Copier";
    Copied => "Copied", "Copié";
    Download => "Download", "Télécharger";
    ErrTfaAlreadyOn => "Two-factor authentication is already on.", "La double authentification est déjà activée.";
    ErrTfaNotPending => "Start the set-up again: it was not pending.", "Recommencez la configuration : elle n’était pas en cours.";
    ErrTfaOff => "Two-factor authentication is off.", "La double authentification est désactivée.";
    // Sessions
    SessionsSection => "Sessions", "Sessions";
    SessionsIntro => "Browsers where your account is signed in.", "Les navigateurs où votre compte est connecté.";
    ThisSession => "This session", "Cette session";
    SessionStarted => "Signed in", "Connexion";
    SessionLastActive => "Last active", "Dernière activité";
    SessionAddress => "Address", "Adresse";
    UnknownBrowser => "Unknown browser", "Navigateur inconnu";
    RevokeSession => "Sign out", "Déconnecter";
    RevokeOthers => "Sign out everywhere else", "Déconnecter partout ailleurs";
    SessionRevokedNotice => "That session was signed out.", "Cette session a été déconnectée.";
    OthersRevokedNotice => "Every other session was signed out.", "Toutes les autres sessions ont été déconnectées.";
    NoOtherSessions => "You are signed in nowhere else.", "Vous n’êtes connecté nulle part ailleurs.";
    ErrCurrentSession => "To end this session, use Sign out at the top of the page.", "Pour fermer cette session, utilisez Déconnexion en haut de la page.";
    // Account deletion
    DeleteSection => "Delete the account", "Supprimer le compte";
    DeleteIntro => "This deletes your profile, sessions, second factor and preferences for good. It cannot be undone.", "Cela supprime définitivement votre profil, vos sessions, votre second facteur et vos préférences. C’est irréversible.";
    DeleteKept => "The history of your account’s events (with the addresses they came from) is kept as an audit trail.", "L’historique des événements du compte (avec les adresses d’où ils venaient) est conservé comme piste d’audit.";
    DeleteOwnsApps => "Your account owns these applications, and an account is deleted only without them. Delete each one with the command line (scalingo --app NAME destroy) or the API (DELETE /v1/apps/NAME); to hand one to another account instead, ask support. Then come back here.", "Votre compte possède ces applications, et un compte n’est supprimé que sans elles. Supprimez chacune avec la ligne de commande (scalingo --app NOM destroy) ou l’API (DELETE /v1/apps/NOM) ; pour en confier une à un autre compte, demandez au support. Revenez ensuite ici.";
    DeleteUsernameLabel => "Type your username to confirm", "Saisissez votre nom d’utilisateur pour confirmer";
    DeleteReasonLabel => "Why are you leaving?", "Pourquoi partez-vous ?";
    DeleteSubmit => "Delete my account", "Supprimer mon compte";
    Deleting => "Deleting…", "Suppression…";
    ErrUsernameMismatch => "This is not your username.", "Ce n’est pas votre nom d’utilisateur.";
    ErrOwnsApps => "Your account still owns applications: delete or transfer them first.", "Votre compte possède encore des applications : supprimez-les ou transférez-les d’abord.";
    AccountDeletedNotice => "Your account was deleted. Goodbye, and thank you.", "Votre compte a été supprimé. Au revoir, et merci.";
    // Sign-in, second step
    LoginCodeTitle => "Two-factor authentication", "Double authentification";
    LoginCodeIntro => "Your password was right. Enter the code from your authenticator app to finish signing in.", "Votre mot de passe est correct. Saisissez le code de votre application d’authentification pour terminer la connexion.";
    LoginCodeSubmit => "Verify", "Vérifier";
    LoginCodeRecovery => "Lost your phone? Enter one of your recovery codes instead.", "Téléphone perdu ? Saisissez plutôt l’un de vos codes de secours.";
    ErrChallengeExpired => "This sign-in took too long. Enter your password again.", "Cette connexion a pris trop de temps. Saisissez de nouveau votre mot de passe.";
    // Timeline sentences
    EventReauthenticate => "Password confirmed for sensitive changes", "Mot de passe confirmé pour des modifications sensibles";
    EventReauthenticateWithPasskey => "Identity confirmed with a passkey", "Identité confirmée avec une clé d’accès";
    EventRevokeSession => "A session was signed out", "Une session a été déconnectée";
    EventRevokeOtherSessions => "Every other session was signed out", "Toutes les autres sessions ont été déconnectées";
    EventTfaEnabled => "Two-factor authentication turned on", "Double authentification activée";
    EventTfaDisabled => "Two-factor authentication turned off", "Double authentification désactivée";
    EventRegenerateRecoveryCodes => "New recovery codes made", "Nouveaux codes de secours créés";
    EventRequestEmailChange => "E-mail change requested", "Changement d’adresse e-mail demandé";
    EventEditEmail => "E-mail address changed", "Adresse e-mail modifiée";
    EventCancelEmailChange => "E-mail change cancelled", "Changement d’adresse e-mail annulé";
    EventEmailChangeReported => "E-mail change cancelled from the previous address", "Changement d’adresse e-mail annulé depuis l’ancienne adresse";
    EventDeleteAccount => "Account deleted", "Compte supprimé";
    EventNewKey => "SSH key added", "Clé SSH ajoutée";
    EventDeleteKey => "SSH key removed", "Clé SSH supprimée";
    EventSecurityReport => "“It was not me” followed from an e-mail: every session and API token ended.", "« Ce n’était pas moi » suivi depuis un e-mail : toutes les sessions et tous les jetons d’API ont été fermés.";
    EventSecurityReportPasskeyRemoved => "The passkey the e-mail was about was removed.", "La clé d’accès dont parlait l’e-mail a été supprimée.";
    EventSecurityReportKeyRemoved => "The SSH key the e-mail was about was removed.", "La clé SSH dont parlait l’e-mail a été supprimée.";
    EventNewToken => "API token created", "Jeton d’API créé";
    EventRegenerateToken => "API token renewed", "Jeton d’API renouvelé";
    EventDeleteToken => "API token revoked", "Jeton d’API révoqué";
    EventNewApp => "App created", "Application créée";
    EventNewAppByOperator => "App created by an operator", "Application créée par un opérateur";
    EventDeleteApp => "App deleted", "Application supprimée";
    EventDeleteAppByOperator => "App deleted by an operator", "Application supprimée par un opérateur";
    // Shared by the keys and tokens tabs
    NameLabel => "Name", "Nom";
    ErrNameTooLong => "Use at most 100 characters.", "Utilisez au plus 100 caractères.";
    ConfirmIntro => "Are you sure?", "Confirmez-vous ?";
    KeepIt => "Keep it", "Conserver";
    Removing => "Removing…", "Suppression…";
    Creating => "Creating…", "Création…";
    NeedsReauthKeys => "Adding or removing a key needs you to confirm your password first, above.", "Pour ajouter ou supprimer une clé, confirmez d’abord votre mot de passe, ci-dessus.";
    NeedsReauthPasskeys => "Adding or removing a passkey needs you to confirm your password first, above.", "Pour ajouter ou supprimer une clé d’accès, confirmez d’abord votre mot de passe, ci-dessus.";
    NeedsReauthTokens => "Creating or renewing a token needs you to confirm your password first, above. Revoking one does not.", "Pour créer ou renouveler un jeton, confirmez d’abord votre mot de passe, ci-dessus. Le révoquer ne le demande pas.";
    // SSH keys tab
    KeysIntro => "Your public SSH keys authenticate git push. A key can belong to one account only.", "Vos clés SSH publiques authentifient git push. Une clé ne peut appartenir qu’à un seul compte.";
    KeysListHeading => "Your keys", "Vos clés";
    NoKeys => "No SSH key yet. Add one below to push code with git.", "Aucune clé SSH pour l’instant. Ajoutez-en une ci-dessous pour pousser du code avec git.";
    AddKeyHeading => "Add a key", "Ajouter une clé";
    KeyNameHelp => "To recognise it later, such as the computer it lives on.", "Pour la reconnaître plus tard, par exemple l’ordinateur où elle se trouve.";
    KeyContentLabel => "Public key", "Clé publique";
    KeyContentHelp => "Paste the contents of your .pub file, such as ~/.ssh/id_ed25519.pub.", "Collez le contenu de votre fichier .pub, par exemple ~/.ssh/id_ed25519.pub.";
    KeyFileLabel => "Or choose a .pub file", "Ou choisissez un fichier .pub";
    AddKeySubmit => "Add the key", "Ajouter la clé";
    Adding => "Adding…", "Ajout…";
    KeyAddedNotice => "The key was added.", "La clé a été ajoutée.";
    KeyRemovedNotice => "The key was removed.", "La clé a été supprimée.";
    KeyTypeLabel => "Type", "Type";
    KeyFingerprintLabel => "Fingerprint", "Empreinte";
    KeyCommentLabel => "Comment", "Commentaire";
    AddedOn => "Added", "Ajoutée le";
    RemoveKey => "Remove", "Supprimer";
    RemoveKeyWarning => "Pushes signed with this key will be refused.", "Les git push signés avec cette clé seront refusés.";
    RemoveKeyConfirm => "Yes, remove the key", "Oui, supprimer la clé";
    ErrKeyTooLong => "This is too long to be a public key.", "C’est trop long pour une clé publique.";
    ErrKeyPrivate => "This is a private key: never share it. Paste the .pub file instead.", "C’est une clé privée : ne la partagez jamais. Collez plutôt le fichier .pub.";
    ErrKeySeveral => "Paste one key at a time.", "Collez une seule clé à la fois.";
    ErrKeyDsa => "DSA keys are no longer safe and OpenSSH refuses them. Make an ed25519 key: ssh-keygen -t ed25519.", "Les clés DSA ne sont plus sûres et OpenSSH les refuse. Créez une clé ed25519 : ssh-keygen -t ed25519.";
    ErrKeyRsaShort => "RSA keys need at least 2048 bits. Make an ed25519 key: ssh-keygen -t ed25519.", "Les clés RSA doivent avoir au moins 2048 bits. Créez une clé ed25519 : ssh-keygen -t ed25519.";
    ErrKeyUnsupported => "This key type is not supported. Use ed25519, ECDSA or RSA.", "Ce type de clé n’est pas pris en charge. Utilisez ed25519, ECDSA ou RSA.";
    ErrKeyUnreadable => "This does not read as an OpenSSH public key. It should start with ssh-ed25519, ecdsa-sha2- or ssh-rsa.", "Ce n’est pas une clé publique OpenSSH lisible. Elle doit commencer par ssh-ed25519, ecdsa-sha2- ou ssh-rsa.";
    ErrKeyInUse => "This key is already used by another account. Each key can belong to one account only.", "Cette clé est déjà utilisée par un autre compte. Une clé ne peut appartenir qu’à un seul compte.";
    ErrKeyAlreadyYours => "This key is already on your account.", "Cette clé est déjà sur votre compte.";
    ErrKeyNameTaken => "You already have a key with this name.", "Vous avez déjà une clé portant ce nom.";
    ErrTooManyKeys => "You have reached 100 keys. Remove one first.", "Vous avez atteint 100 clés. Supprimez-en une d’abord.";
    // API tokens tab
    TokensIntro => "Tokens let scripts and the command line use the API as you. Treat them like passwords.", "Les jetons permettent aux scripts et à la ligne de commande d’utiliser l’API en votre nom. Traitez-les comme des mots de passe.";
    TokensListHeading => "Your tokens", "Vos jetons";
    NoTokens => "No API token yet. Create one below to use the API.", "Aucun jeton d’API pour l’instant. Créez-en un ci-dessous pour utiliser l’API.";
    NewTokenHeading => "Create a token", "Créer un jeton";
    TokenNameHelp => "What uses it, such as “CI deploys”.", "Ce qui l’utilise, par exemple « déploiements CI ».";
    TokenExpiryLabel => "Expires", "Expiration";
    TokenAccessLegend => "Access", "Accès";
    TokenAccessFull => "Full access: everything the API allows", "Accès complet : tout ce que permet l’API";
    TokenAccessLimited => "Only what I choose:", "Seulement ce que je choisis :";
    TokenAccessHelp => "A limited token can never change your password, e-mail or second factor, delete the account, or create a token that can do more than itself.", "Un jeton limité ne peut jamais changer votre mot de passe, votre e-mail ou votre second facteur, supprimer le compte, ni créer un jeton qui peut plus que lui.";
    TokenAccessFullShort => "Full access", "Accès complet";
    ScopeAccountRead => "Read the account: profile, SSH keys, tokens, events, integrations", "Lire le compte : profil, clés SSH, jetons, événements, intégrations";
    ScopeKeysWrite => "Add and remove SSH keys", "Ajouter et supprimer des clés SSH";
    ScopeAppsWrite => "Create and delete apps", "Créer et supprimer des applications";
    ScopeBillingRead => "Read the billing profile, invoices and billing history", "Lire le profil de facturation, les factures et l’historique de facturation";
    ErrScopesNone => "Choose at least one permission, or full access.", "Choisissez au moins une permission, ou l’accès complet.";
    ErrAccessInvalid => "Choose full access or a list of permissions.", "Choisissez l’accès complet ou une liste de permissions.";
    ExpiryNever => "Never", "Jamais";
    Expiry30 => "In 30 days", "Dans 30 jours";
    Expiry90 => "In 90 days", "Dans 90 jours";
    Expiry365 => "In a year", "Dans un an";
    ExpiryOnDate => "On a date", "À une date";
    TokenExpiryDateLabel => "Expiry date", "Date d’expiration";
    TokenExpiryDateHelp => "Used when “On a date” is chosen. The token stops working at the end of that day.", "Utilisée quand « À une date » est choisi. Le jeton cesse de fonctionner à la fin de ce jour.";
    CreateTokenSubmit => "Create the token", "Créer le jeton";
    TokenSecretHeading => "Copy your token now", "Copiez votre jeton maintenant";
    TokenSecretWarning => "This is the only time it is shown. Store it in a password manager or your CI secrets; if you lose it, renew the token.", "C’est la seule fois qu’il est affiché. Rangez-le dans un gestionnaire de mots de passe ou les secrets de votre CI ; si vous le perdez, renouvelez le jeton.";
    CopyButton => "Copy", "Copier";
    CopiedNotice => "Copied", "Copié";
    TokenCreatedNotice => "The token was created.", "Le jeton a été créé.";
    TokenRenewedNotice => "The token was renewed: the previous secret no longer works.", "Le jeton a été renouvelé : l’ancien secret ne fonctionne plus.";
    TokenRevokedNotice => "The token was revoked.", "Le jeton a été révoqué.";
    CreatedOn => "Created", "Créé le";
    LastUsed => "Last used", "Dernière utilisation";
    NeverUsed => "Never used", "Jamais utilisé";
    ExpiresOn => "Expires", "Expire le";
    ExpiredBadge => "Expired", "Expiré";
    TokenEndsWith => "Ends with", "Se termine par";
    RenewToken => "Renew", "Renouveler";
    RenewTokenWarning => "The current secret stops working at once: update what uses it.", "Le secret actuel cesse aussitôt de fonctionner : mettez à jour ce qui l’utilise.";
    RenewTokenConfirm => "Yes, renew the token", "Oui, renouveler le jeton";
    RevokeToken => "Revoke", "Révoquer";
    RevokeTokenWarning => "Scripts using this token will be refused at once.", "Les scripts qui utilisent ce jeton seront aussitôt refusés.";
    RevokeTokenConfirm => "Yes, revoke the token", "Oui, révoquer le jeton";
    ErrExpiryInvalid => "Choose one of the expiry options.", "Choisissez une des options d’expiration.";
    ErrExpiryDateMissing => "Enter a date, or choose another option.", "Saisissez une date, ou choisissez une autre option.";
    ErrExpiryDatePast => "Choose a date after today.", "Choisissez une date après aujourd’hui.";
    ErrExpiryDateFar => "Choose a date within 10 years.", "Choisissez une date dans les 10 ans.";
    ErrTooManyTokens => "You have reached 100 tokens. Revoke one first.", "Vous avez atteint 100 jetons. Révoquez-en un d’abord.";
    // REST API only: applications, account deletion, second factor
    ErrAppNameInvalid => "Use 3 to 48 lowercase letters, digits and dashes, starting with a letter and not ending with a dash.", "Utilisez 3 à 48 lettres minuscules, chiffres et tirets, en commençant par une lettre et sans finir par un tiret.";
    ErrAppNameTaken => "An application already has this name. Choose another.", "Une application porte déjà ce nom. Choisissez-en un autre.";
    ErrTooManyApps => "You have reached 100 applications. Delete one first.", "Vous avez atteint 100 applications. Supprimez-en une d’abord.";
    ErrAppNameMismatch => "This is not the application’s name.", "Ce n’est pas le nom de l’application.";
    ErrDeletionCodeWrong => "This code is not right. Use the code from the newest deletion e-mail, within the hour.", "Ce code n’est pas le bon. Utilisez le code du dernier e-mail de suppression, dans l’heure.";
    ErrTfaProvider => "The only second factor offered is \"totp\".", "Le seul second facteur proposé est « totp ».";
    // Not found
    NotFoundTitle => "Page not found", "Page introuvable";
    NotFoundBody => "There is no page at this address. Check the link, or go back to your account.", "Il n’y a pas de page à cette adresse. Vérifiez le lien, ou revenez à votre compte.";
    BackToAccount => "Go to your account", "Aller à votre compte";
    // Health data (HDS) tab
    DocHds => "Health Data Hosting (HDS) contract", "Contrat d’hébergement de données de santé (HDS)";
    HdsIntro => "Hosting health data in France requires an HDS-certified host, a signed HDS contract and a healthcare point of contact we can reach.", "Héberger des données de santé en France demande un hébergeur certifié HDS, un contrat HDS signé et un contact santé joignable.";
    HdsDocumentsSection => "HDS contract documents", "Documents du contrat HDS";
    HdsDocumentsIntro => "Accept the current version of each document before you host health data.", "Acceptez la version en vigueur de chaque document avant d’héberger des données de santé.";
    HdsDocumentsEmpty => "No HDS contract document is published on this server yet.", "Aucun document du contrat HDS n’est encore publié sur ce serveur.";
    RequiredForHds => "Required for health data", "Requis pour les données de santé";
    HdsContactSection => "Healthcare point of contact", "Contact santé";
    HdsContactIntro => "The person we contact about health data hosting: incidents, audits and requests from authorities.", "La personne que nous contactons au sujet de l’hébergement de données de santé : incidents, audits et demandes des autorités.";
    HdsNoContact => "No point of contact yet. Fill in the form below: it is needed before you host health data.", "Aucun contact pour l’instant. Remplissez le formulaire ci-dessous : il est nécessaire avant d’héberger des données de santé.";
    HdsReviewSection => "Yearly review", "Revue annuelle";
    HdsReviewIntro => "The point of contact must be confirmed at least every 12 months.", "Le contact doit être confirmé au moins tous les 12 mois.";
    HdsLastReviewed => "Last reviewed", "Dernière revue";
    HdsLastChanged => "Last changed", "Dernière modification";
    HdsNextReview => "Next review due", "Prochaine revue avant le";
    HdsReviewOverdue => "Review due: check the point of contact below, then confirm it or correct it.", "Revue à faire : vérifiez le contact ci-dessous, puis confirmez-le ou corrigez-le.";
    HdsReviewOk => "Up to date.", "À jour.";
    HdsStillAccurate => "Still accurate", "Toujours exact";
    HdsConfirming => "Confirming…", "Confirmation…";
    HdsReviewed => "Thank you: the point of contact is confirmed for another 12 months.", "Merci : le contact est confirmé pour 12 mois de plus.";
    HdsSaved => "Point of contact saved. It counts as this year’s review.", "Contact enregistré. Cela vaut revue pour cette année.";
    ReferralsIntro => "Share your link: for 12 months after someone signs up through it, you earn 20 % of what they pay us (excluding VAT), as prepaid credit.", "Partagez votre lien : pendant 12 mois après l’inscription d’une personne venue par ce lien, vous gagnez 20 % de ce qu’elle nous paie (hors TVA), en crédit prépayé.";
    ReferralLinkSection => "Your referral link", "Votre lien de parrainage";
    ReferralLinkLabel => "Referral link", "Lien de parrainage";
    CopyLinkButton => "Copy the link", "Copier le lien";
    LinkCopiedNotice => "Link copied.", "Lien copié.";
    ReferralStatsSection => "What it brought", "Ce qu’il a rapporté";
    ReferralClicks => "Clicks", "Clics";
    ReferralSignups => "Sign-ups", "Inscriptions";
    ReferralEarned => "Earned", "Gagné";
    RefereesSection => "People you referred", "Personnes parrainées";
    NoReferees => "Nobody has signed up through your link yet.", "Personne ne s’est encore inscrit par votre lien.";
    RefereeName => "Name", "Nom";
    RefereeSignedUp => "Signed up", "Inscription";
    RefereeEarned => "Earned", "Gagné";
    PaymentMethodsIntro => "Invoices your credit does not cover are paid with the default method. A SEPA mandate is taken before a card.", "Les factures que votre crédit ne couvre pas sont payées avec le moyen par défaut. Un mandat SEPA passe avant une carte.";
    NoPaymentMethods => "No payment method yet.", "Aucun moyen de paiement pour l’instant.";
    AddCardHeading => "Add a card", "Ajouter une carte";
    AddCardButton => "Add a card", "Ajouter une carte";
    AddCardIntro => "Type your card in the form below: it goes straight to our payment provider, Stripe, and its number never reaches our servers. We keep its brand, last four digits and expiry.", "Saisissez votre carte dans le formulaire ci-dessous : elle va directement à notre prestataire de paiement, Stripe, et son numéro n’atteint jamais nos serveurs. Nous gardons sa marque, ses quatre derniers chiffres et sa date d’expiration.";
    CardNeedsJavaScript => "Adding a card needs JavaScript (the card form is Stripe’s). Without it you can sign a SEPA direct debit mandate below.", "L’ajout d’une carte nécessite JavaScript (le formulaire de carte est celui de Stripe). Sans lui, vous pouvez signer un mandat de prélèvement SEPA ci-dessous.";
    CardDetailsLabel => "Card details", "Coordonnées de la carte";
    SaveCardButton => "Save the card", "Enregistrer la carte";
    BackToBilling => "Back to billing", "Retour à la facturation";
    CardAdded => "Card added.", "Carte ajoutée.";
    CardExpires => "Expires", "Expire fin";
    DefaultMethod => "Default", "Par défaut";
    MakeDefault => "Make default", "Choisir par défaut";
    DefaultMethodChanged => "Default payment method changed.", "Moyen de paiement par défaut changé.";
    RemoveMethod => "Remove", "Retirer";
    RemoveMethodConfirm => "Remove this payment method", "Retirer ce moyen de paiement";
    RemoveMethodWarning => "It will no longer pay your invoices. If it is the default, your newest other method becomes the default.", "Il ne paiera plus vos factures. S’il est le moyen par défaut, votre autre moyen le plus récent le devient.";
    PaymentMethodRemoved => "Payment method removed.", "Moyen de paiement retiré.";
    NeedsReauthPayment => "Confirm it’s you above to add a payment method or buy credit.", "Confirmez votre identité ci-dessus pour ajouter un moyen de paiement ou acheter du crédit.";
    AddSepaHeading => "Sign a SEPA direct debit mandate", "Signer un mandat de prélèvement SEPA";
    IbanLabel => "IBAN", "IBAN";
    IbanHelp => "The account to debit, with its country code (FR76…). Spaces are fine.", "Le compte à débiter, avec son code pays (FR76…). Les espaces sont acceptés.";
    AccountHolderLabel => "Account holder", "Titulaire du compte";
    MandateText => "By signing this mandate, you authorise us to send instructions to your bank to debit your account, and your bank to debit your account in accordance with those instructions, for each invoice (recurrent payments). You are entitled to a refund from your bank under the terms of your agreement with it; a refund must be claimed within 8 weeks from the date your account was debited.", "En signant ce mandat, vous nous autorisez à envoyer des instructions à votre banque pour débiter votre compte, et votre banque à débiter votre compte conformément à ces instructions, pour chaque facture (paiements récurrents). Vous bénéficiez du droit d’être remboursé par votre banque selon les conditions de votre convention avec elle ; une demande de remboursement doit être présentée dans les 8 semaines suivant la date de débit de votre compte.";
    AcceptMandateLabel => "I authorise these debits and sign this mandate electronically.", "J’autorise ces prélèvements et signe ce mandat électroniquement.";
    SignMandateButton => "Sign the mandate", "Signer le mandat";
    MandateSigned => "SEPA mandate signed.", "Mandat SEPA signé.";
    MandateReference => "Mandate", "Mandat";
    MandateSignedOn => "signed", "signé le";
    MandatePdf => "Download the mandate (PDF)", "Télécharger le mandat (PDF)";
    MandateNotFound => "There is no such mandate on your account.", "Ce mandat n’existe pas sur votre compte.";
    BuyCreditHeading => "Buy credit", "Acheter du crédit";
    BuyCreditNeedsMethod => "Add a payment method first: credit is paid with the default one.", "Ajoutez d’abord un moyen de paiement : le crédit est payé avec le moyen par défaut.";
    CreditAmountLabel => "Amount (€)", "Montant (€)";
    CreditAmountHelp => "At least €5, paid with your default payment method.", "Au moins 5 €, payés avec votre moyen de paiement par défaut.";
    BuyCreditButton => "Buy credit", "Acheter du crédit";
    CreditBought => "Credit added.", "Crédit ajouté.";
    CreditAlreadySent => "This purchase was already sent from this form, so it was not made twice. Your balance and history show it once it is paid.", "Cet achat a déjà été envoyé depuis ce formulaire : il n’a pas été fait deux fois. Votre solde et votre historique l’indiquent une fois payé.";
    ErrPurchaseFormOutOfDate => "This form is out of date, so nothing was bought. Reload the page and try again.", "Ce formulaire n’est plus à jour : rien n’a été acheté. Rechargez la page et réessayez.";
    CreditProcessing => "Payment under way: the credit is added once your bank has paid (a SEPA debit takes a few days).", "Paiement en cours : le crédit sera ajouté quand votre banque aura payé (un prélèvement SEPA prend quelques jours).";
    ErrCardDeclined => "Your card was declined. Try another card, or ask your bank.", "Votre carte a été refusée. Essayez une autre carte, ou contactez votre banque.";
    ErrCardNotConfirmed => "The card was not confirmed with our payment provider. Please try again.", "La carte n’a pas été confirmée auprès de notre prestataire de paiement. Réessayez.";
    ErrCardFormUnavailable => "The card form could not be loaded. Check your connection and reload the page.", "Le formulaire de carte n’a pas pu être chargé. Vérifiez votre connexion et rechargez la page.";
    ErrPaymentMethodRefused => "Our payment provider refused this payment method. Check what you typed.", "Notre prestataire de paiement a refusé ce moyen de paiement. Vérifiez votre saisie.";
    ErrProviderUnavailable => "Our payment provider cannot be reached right now. Nothing was charged; please try again in a few minutes.", "Notre prestataire de paiement est injoignable pour l’instant. Rien n’a été débité ; réessayez dans quelques minutes.";
    ErrPaymentUnconfirmed => "We could not confirm the payment with our payment provider. Please do not pay again: if it went through, the credit appears within the hour.", "Nous n’avons pas pu confirmer le paiement auprès de notre prestataire. Ne payez pas une seconde fois : s’il a abouti, le crédit apparaîtra dans l’heure.";
    ErrPaymentsNotConfigured => "Card and SEPA payment are not set up on this server.", "Le paiement par carte et par prélèvement SEPA n’est pas configuré sur ce serveur.";
    ErrIbanInvalid => "This is not a valid IBAN: check its country code and digits.", "Cet IBAN n’est pas valide : vérifiez son code pays et ses chiffres.";
    ErrMandateNotAccepted => "Tick the box to sign the mandate.", "Cochez la case pour signer le mandat.";
    ErrCreditAmount => "Enter an amount in euros from €5 to €10,000, like 20 or 20.50.", "Saisissez un montant en euros de 5 € à 10 000 €, comme 20 ou 20,50.";
    ErrNoPaymentMethod => "Add a payment method first.", "Ajoutez d’abord un moyen de paiement.";
    ErrChargeDeclined => "The payment was declined: no credit was added. Try another payment method.", "Le paiement a été refusé : aucun crédit n’a été ajouté. Essayez un autre moyen de paiement.";
    EventDefaultPaymentMethod => "Default payment method changed", "Moyen de paiement par défaut changé";
    EventDeletePaymentMethod => "Payment method removed", "Moyen de paiement retiré";
    MailPaymentDeclinedBody => "Invoice {number} ({amount}) could not be paid with your {method}. Please check your payment method on the Billing tab, or settle it by bank transfer.", "La facture {number} ({amount}) n’a pas pu être payée avec votre {method}. Vérifiez votre moyen de paiement dans l’onglet Facturation, ou réglez-la par virement.";
    MethodCard => "card", "carte";
    MethodSepa => "SEPA direct debit mandate", "mandat de prélèvement SEPA";
    HdsSaveButton => "Save the point of contact", "Enregistrer le contact";
    BillingIntro => "Invoices are issued at the start of each month for the month before, and paid from your prepaid credit when it covers the whole invoice.", "Les factures sont émises au début de chaque mois pour le mois précédent, et payées avec votre crédit prépayé s’il couvre toute la facture.";
    BillingProfileSection => "Billing profile", "Profil de facturation";
    BillingProfileIntro => "Your invoices are made out to this name and address.", "Vos factures sont établies à ce nom et à cette adresse.";
    BillingNoProfile => "No billing profile yet: invoices use your username and e-mail address until you fill it in.", "Pas encore de profil de facturation : vos factures portent votre nom d’utilisateur et votre adresse e-mail tant que vous ne l’avez pas rempli.";
    BillingNameLabel => "Name on invoices", "Nom sur les factures";
    BillingEmailLabel => "E-mail for invoices", "E-mail de facturation";
    VatNumberLabel => "VAT number", "Numéro de TVA";
    VatNumberHelp => "For a business in the EU, with its country code (FR…). A business outside France pays no French VAT.", "Pour une entreprise de l’UE, avec son code pays (FR…). Une entreprise hors de France ne paie pas la TVA française.";
    InvoiceInfoLabel => "Extra text on invoices", "Mention supplémentaire sur les factures";
    InvoiceInfoHelp => "A purchase order number, say. At most 500 characters.", "Un numéro de bon de commande, par exemple. 500 caractères au plus.";
    BillingSaveButton => "Save the billing profile", "Enregistrer le profil de facturation";
    BillingProfileSaved => "Billing profile saved.", "Profil de facturation enregistré.";
    ErrInvoiceInfoTooLong => "This text is too long for an invoice: use at most 500 characters.", "Ce texte est trop long pour une facture : utilisez au plus 500 caractères.";
    ErrVatInvalid => "This is not a valid VAT number: check its digits.", "Ce numéro de TVA n’est pas valide : vérifiez ses chiffres.";
    ErrVatNeedsCountry => "Choose the country first: a VAT number is checked against it.", "Choisissez d’abord le pays : le numéro de TVA est vérifié selon celui-ci.";
    ErrVatOutsideEu => "Only EU VAT numbers are accepted; leave the field empty outside the EU.", "Seuls les numéros de TVA de l’UE sont acceptés ; laissez le champ vide hors de l’UE.";
    ErrVatWrongCountry => "This VAT number is not from the country of the address: it starts with that country’s code.", "Ce numéro de TVA n’est pas du pays de l’adresse : il commence par le code de ce pays.";
    CreditSection => "Prepaid credit", "Crédit prépayé";
    CreditBalance => "Balance", "Solde";
    CreditIntro => "Credit pays an invoice when it covers all of it. Credit comes from a bank transfer recorded by us, or from referrals.", "Le crédit paie une facture s’il la couvre entièrement. Il provient d’un virement enregistré par nos soins, ou du parrainage.";
    PaymentMethodsSection => "Payment methods", "Moyens de paiement";
    PaymentsNotConfigured => "Card and SEPA direct debit payment are not set up on this server. Invoices are paid from your prepaid credit; an invoice it does not cover is marked unpaid and you are told by e-mail.", "Le paiement par carte et par prélèvement SEPA n’est pas configuré sur ce serveur. Les factures sont payées avec votre crédit prépayé ; une facture qu’il ne couvre pas est marquée impayée et vous êtes prévenu par e-mail.";
    PriceNotice => "An application costs {price} per hour, excluding VAT.", "Une application coûte {price} de l’heure, hors TVA.";
    InvoicesSection => "Invoices", "Factures";
    NoInvoices => "No invoice yet. Your first one comes at the start of the month after your first application runs.", "Aucune facture pour l’instant. La première arrive au début du mois qui suit le lancement de votre première application.";
    InvoiceNumber => "Number", "Numéro";
    InvoicePeriod => "Period", "Période";
    InvoiceIssued => "Issued", "Émise le";
    InvoiceTotalExclVat => "Excl. VAT", "HT";
    InvoiceTotalInclVat => "Incl. VAT", "TTC";
    InvoiceStatus => "Status", "État";
    InvoiceStateNew => "Awaiting payment", "En attente de paiement";
    InvoiceStatePaid => "Paid", "Payée";
    InvoiceStateFailed => "Payment failed", "Paiement échoué";
    InvoiceNotFound => "There is no such invoice on your account.", "Cette facture n’existe pas sur votre compte.";
    InvoiceDownload => "PDF", "PDF";
    HistorySection => "Billing history", "Historique de facturation";
    NoHistory => "No movement of money yet.", "Aucun mouvement pour l’instant.";
    HistoryDate => "Date", "Date";
    HistoryAmount => "Amount", "Montant";
    HistorySource => "Source", "Origine";
    HistoryDescription => "Description", "Libellé";
    HistoryInvoice => "Invoice {number}", "Facture {number}";
    SourceOperator => "Bank transfer (recorded by us)", "Virement (enregistré par nos soins)";
    SourceCredit => "Prepaid credit", "Crédit prépayé";
    SourceReferral => "Referral", "Parrainage";
    SourceCard => "Card", "Carte";
    SourceSepa => "SEPA direct debit", "Prélèvement SEPA";
    PageOf => "Page {page} of {pages}", "Page {page} sur {pages}";
    NewerPage => "Newer", "Plus récentes";
    OlderPage => "Older", "Plus anciennes";
    EventAddCredit => "Credit added", "Crédit ajouté";
    EventAddPaymentMethod => "Payment method added", "Moyen de paiement ajouté";
    EventPaymentSucceeded => "Invoice paid", "Facture payée";
    EventPaymentFailed => "Invoice payment failed", "Échec du paiement de la facture";
    MailPaymentFailedSubject => "Your invoice could not be paid", "Votre facture n’a pas pu être payée";
    MailPaymentFailedBody => "Invoice {number} ({amount}) could not be paid: your prepaid credit does not cover it and no other payment method is set up. Please settle it by bank transfer.", "La facture {number} ({amount}) n’a pas pu être payée : votre crédit prépayé ne la couvre pas et aucun autre moyen de paiement n’est configuré. Merci de la régler par virement.";
    MailPaymentFailedLink => "Your invoices:", "Vos factures :";
    HdsBanner => "Your healthcare point of contact is due for its yearly review.", "Votre contact santé doit faire l’objet de sa revue annuelle.";
    HdsBannerAction => "Review it", "Le vérifier";
    OrgTypeLabel => "Organisation type", "Type d’organisation";
    OrgCompany => "Company", "Entreprise";
    OrgNonProfit => "Non-profit", "Association";
    OrgAdministration => "Administration", "Administration";
    HdsNameLabel => "Contact’s full name", "Nom complet du contact";
    PhoneLabel => "Phone number", "Numéro de téléphone";
    PhoneHelp => "With the country code (+33 1 23 45 67 89), or a national number in the address’s country.", "Avec l’indicatif du pays (+33 1 23 45 67 89), ou un numéro national du pays de l’adresse.";
    AddressLine1Label => "Address", "Adresse";
    AddressLine2Label => "Address, line 2", "Complément d’adresse";
    CityLabel => "City", "Ville";
    ZipLabel => "Postal code", "Code postal";
    CountryLabel => "Country", "Pays";
    ChooseCountry => "Choose a country", "Choisissez un pays";
    ChooseOne => "Choose…", "Choisissez…";
    NotesLabel => "Notes", "Remarques";
    NotesHelp => "Availability, a second contact, anything we should know.", "Disponibilités, second contact, tout ce que nous devrions savoir.";
    ErrPhoneInvalid => "Enter a phone number that exists, like +33 1 23 45 67 89.", "Saisissez un numéro de téléphone qui existe, comme +33 1 23 45 67 89.";
    ErrPhoneNeedsCountry => "Add the country code (like +33), or choose the address’s country first.", "Ajoutez l’indicatif du pays (comme +33), ou choisissez d’abord le pays de l’adresse.";
    ErrZipInvalid => "Enter a postal code of at most 16 letters, digits, spaces or dashes.", "Saisissez un code postal d’au plus 16 lettres, chiffres, espaces ou tirets.";
    ErrTextTooLong => "This text is too long: use at most 2,000 characters.", "Ce texte est trop long : utilisez au plus 2 000 caractères.";
    ErrHdsNoContact => "There is no point of contact to confirm yet: fill in the form first.", "Il n’y a pas encore de contact à confirmer : remplissez d’abord le formulaire.";
    EventEditHdsContact => "Healthcare point of contact changed", "Contact santé modifié";
    EventReviewHdsContact => "Healthcare point of contact confirmed as still accurate", "Contact santé confirmé comme toujours exact";
    MailHdsSoonSubject => "Your healthcare point of contact: review due in a month", "Votre contact santé : revue à faire dans un mois";
    MailHdsSoonBody => "Your healthcare point of contact must be confirmed at least every 12 months. Its review is due in one month: please check it and confirm it, or correct it.", "Votre contact santé doit être confirmé au moins tous les 12 mois. Sa revue est à faire dans un mois : vérifiez-le et confirmez-le, ou corrigez-le.";
    MailHdsDueSubject => "Your healthcare point of contact: review due today", "Votre contact santé : revue à faire aujourd’hui";
    MailHdsDueBody => "Your healthcare point of contact has not been confirmed for 12 months. Please check it today and confirm it, or correct it.", "Votre contact santé n’a pas été confirmé depuis 12 mois. Vérifiez-le aujourd’hui et confirmez-le, ou corrigez-le.";
    MailHdsLink => "Review it on the Health data tab:", "Vérifiez-le dans l’onglet Données de santé :";
    // SCM integrations
    ScmGitlabSelfHosted => "GitLab self-hosted", "GitLab auto-hébergé";
    ErrScmCloudType => "GitHub and GitLab.com connect from the SCM integrations tab, through their own sign-in page.", "GitHub et GitLab.com se connectent depuis l’onglet Intégrations SCM, par leur propre page de connexion.";
    ErrScmUrl => "Enter the server’s address, like https://gitlab.example.com.", "Saisissez l’adresse du serveur, comme https://gitlab.exemple.fr.";
    ErrScmNeedsHttps => "Use the server’s https:// address: the token must not travel in clear text.", "Utilisez l’adresse https:// du serveur : le jeton ne doit pas circuler en clair.";
    ErrScmPrivateUrl => "This address leads to a private network, which this server may not call. The operator can allow it.", "Cette adresse mène à un réseau privé, que ce serveur n’a pas le droit d’appeler. L’opérateur peut l’autoriser.";
    ErrScmUnreachable => "The server at this address did not answer in time, or not as GitHub or GitLab would.", "Le serveur à cette adresse n’a pas répondu à temps, ou pas comme GitHub ou GitLab le ferait.";
    ErrScmTokenRefused => "The server refused this token. Check it, and the scopes it was given.", "Le serveur a refusé ce jeton. Vérifiez-le, ainsi que ses portées.";
    ErrScmAlreadyConnected => "This account already has an integration of this type. Disconnect it first.", "Ce compte a déjà une intégration de ce type. Déconnectez-la d’abord.";
    ErrScmNotConfigured => "This provider is not set up on this server.", "Ce fournisseur n’est pas configuré sur ce serveur.";
    ErrScmFlowLost => "This connection attempt is unknown, expired or already used. Start again from the SCM integrations tab.", "Cette tentative de connexion est inconnue, expirée ou déjà utilisée. Recommencez depuis l’onglet Intégrations SCM.";
    ErrScmDenied => "The provider did not grant access: nothing was connected.", "Le fournisseur n’a pas accordé l’accès : rien n’a été connecté.";
    ErrScmCodeRefused => "The provider refused this sign-in. Start again from the SCM integrations tab.", "Le fournisseur a refusé cette connexion. Recommencez depuis l’onglet Intégrations SCM.";
    ErrScmProviderDown => "The provider did not answer in time. Try again in a moment.", "Le fournisseur n’a pas répondu à temps. Réessayez dans un instant.";
    ScmIntro => "Connect your GitHub and GitLab accounts to deploy from their repositories, and import the SSH keys you use there.", "Connectez vos comptes GitHub et GitLab pour déployer depuis leurs dépôts, et importer les clés SSH que vous y utilisez.";
    ScmProvidersHeading => "Providers", "Fournisseurs";
    ScmNotConfiguredHint => "Not set up on this server. The operator has to set", "Pas configuré sur ce serveur. L’opérateur doit définir";
    ScmNotConnected => "Not connected.", "Non connecté.";
    ScmConnectedAs => "Connected as", "Connecté en tant que";
    ScmConnectedOn => "Connected on", "Connecté le";
    ScmServerLabel => "Server", "Serveur";
    ScmConnectLink => "Connect", "Connecter";
    ScmDisconnect => "Disconnect", "Déconnecter";
    ScmDisconnectConfirm => "Disconnect it", "La déconnecter";
    ScmDisconnecting => "Disconnecting…", "Déconnexion…";
    ScmDisconnectWarning => "Deployments from its repositories stop until you connect it again. GitHub and GitLab.com are also asked to revoke the access.", "Les déploiements depuis ses dépôts s’arrêtent jusqu’à ce que vous la reconnectiez. GitHub et GitLab.com sont aussi priés de révoquer l’accès.";
    ScmImportKeys => "Import its SSH keys", "Importer ses clés SSH";
    ScmImporting => "Importing…", "Import…";
    ScmImported => "Keys added to your SSH keys:", "Clés ajoutées à vos clés SSH :";
    ScmImportedNone => "No key was added.", "Aucune clé n’a été ajoutée.";
    ScmSkipped => "Left out:", "Écartées :";
    NeedsReauthScm => "Importing keys needs you to confirm your password first, above.", "Pour importer des clés, confirmez d’abord votre mot de passe, ci-dessus.";
    ScmSelfHostedHeading => "Connect a self-hosted server", "Connecter un serveur auto-hébergé";
    ScmSelfHostedIntro => "GitHub Enterprise and GitLab self-hosted connect with the server’s address and a personal access token, checked with the server before anything is saved.", "GitHub Enterprise et GitLab auto-hébergé se connectent avec l’adresse du serveur et un jeton d’accès personnel, vérifié auprès du serveur avant tout enregistrement.";
    ScmScopesHelp => "GitHub Enterprise: a token with the repo scope, and read:public_key to import keys. GitLab: the api and read_user scopes.", "GitHub Enterprise : un jeton avec la portée repo, et read:public_key pour importer les clés. GitLab : les portées api et read_user.";
    ScmTypeLabel => "Type", "Type";
    ScmUrlLabel => "Server address", "Adresse du serveur";
    ScmTokenLabel => "Personal access token", "Jeton d’accès personnel";
    ScmConnectSubmit => "Connect the server", "Connecter le serveur";
    ScmChecking => "Checking the token…", "Vérification du jeton…";
    ScmConnectedNotice => "Connected.", "Connectée.";
    ScmDisconnectedNotice => "Disconnected.", "Déconnectée.";
    EventNewIntegration => "Integration connected", "Intégration connectée";
    EventDeleteIntegration => "Integration disconnected", "Intégration déconnectée";
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
    fn keys_travel_as_their_names_and_come_back() {
        for key in Key::ALL {
            let json = serde_json::to_string(key).unwrap();
            assert_eq!(json, format!("\"{key:?}\""));
            assert_eq!(serde_json::from_str::<Key>(&json).unwrap(), *key);
        }
        assert!(serde_json::from_str::<Key>("\"NoSuchKey\"").is_err());
        assert!(serde_json::from_str::<Key>("3").is_err());
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
