//! Start-up: connect and migrate, load the secret key, build the router, listen.

use crate::auth::password::Hasher;
use crate::config::Config;
use crate::db::Db;
use crate::state::AppState;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;

/// Hashes wait in a queue of at most this many before the server answers "busy".
const HASH_QUEUE: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database (DATABASE_URL): {0}")]
    Database(crate::db::DbError),
    #[error("cannot apply database migrations: {0}")]
    Migrate(crate::db::DbError),
    #[error("cannot read or create the secret key in {0}: {1}")]
    Secret(String, std::io::Error),
    #[error("cannot prepare password hashing: {0}")]
    Hasher(crate::auth::password::HashError),
    #[error("cannot listen on {0} (LEPTOS_SITE_ADDR): {1}")]
    Listen(SocketAddr, std::io::Error),
    #[error("{0}")]
    Mail(crate::mail::MailerError),
}

/// Where mail goes: SMTP when configured, else `data_dir/outbox`.
pub fn mailer(config: &Config) -> Result<crate::mail::Mailer, StartError> {
    crate::mail::Mailer::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        config.data_dir.join("outbox"),
    )
    .map_err(StartError::Mail)
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    // The output name must match `name` in [[workspace.metadata.leptos]]: it names the
    // /pkg/vestibule.{js,wasm,css} files that cargo-leptos builds.
    LeptosOptions::builder()
        .output_name("vestibule")
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(config.site_addr)
        .build()
}

pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect(&config.database_url).await.map_err(StartError::Database)?;
    db.migrate().await.map_err(StartError::Migrate)?;
    Ok(db)
}

pub fn hasher() -> Result<Hasher, StartError> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Hasher::new(cores, HASH_QUEUE).map_err(StartError::Hasher)
}

pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    let mailer = mailer(&config)?;
    let db = open_database(&config).await?;
    let secret = crate::secret::load_or_create(config.secret_key, &config.data_dir)
        .map_err(|e| StartError::Secret(config.data_dir.display().to_string(), e))?;
    let db = db.sealing_mail_with(secret.clone());
    let leptos = leptos_options(&config);
    let throttle = crate::auth::throttle::Policy {
        signups_per_address: config.signups_per_hour,
        ..Default::default()
    };
    let pkg_dir = std::path::Path::new(&*leptos.site_root).join(&*leptos.site_pkg_dir);
    let assets = Arc::new(crate::web::assets::discover(&pkg_dir, &leptos.output_name));
    let config = Arc::new(config);
    let hasher = hasher()?;
    let lifetimes = Default::default();
    let mail_wake: Arc<tokio::sync::Notify> = Default::default();
    let api_limiter = Arc::new(crate::api::limit::Limiter::per_minute(config.api_requests_per_minute));
    let host = Arc::new(crate::host::ServerHost {
        db: db.clone(),
        hasher: hasher.clone(),
        config: config.clone(),
        secret: secret.clone(),
        lifetimes,
        throttle,
        mail_wake: mail_wake.clone(),
    });
    Ok(AppState {
        host: host.clone(),
        server_host: host,
        api_limiter,
        assets,
        pages: Default::default(),
        db,
        hasher,
        leptos,
        config,
        secret,
        lifetimes,
        throttle,
        mailer: Arc::new(mailer),
        mail_wake,
    })
}

pub async fn serve(config: Config) -> Result<(), StartError> {
    use crate::web::connections;
    // Read first, like the rest of the configuration, and reported the same way: one line
    // naming the variable and exit code 2 (a `StartError` would exit with 1).
    let connection_settings = match connections::Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("vestibule: configuration error: {e}");
            std::process::exit(2);
        }
    };
    // Every open connection holds a file descriptor: take as many as the hard limit allows
    // (never fatal: a refusal leaves the limit as it was), then cap connections below it.
    let open_files = connections::raise_open_file_limit();
    let limits = connection_settings.limits(open_files, config.trust_proxy);
    tracing::info!(
        open_files = open_files.map_or_else(|| "unknown".to_string(), |n| n.to_string()),
        max_connections = limits.total,
        max_connections_per_address = limits
            .per_address
            .map_or_else(|| "none (trusted proxy)".to_string(), |n| n.to_string()),
        "open-file limit and connection caps"
    );
    if let Some(open_files) = open_files {
        let spare = open_files.saturating_sub(connections::DESCRIPTOR_RESERVE);
        if u64::try_from(limits.total).unwrap_or(u64::MAX) > spare {
            tracing::warn!(
                max_connections = limits.total,
                open_files,
                "the connection cap leaves fewer than {} open files for the database and files: raise the \
                 open-file limit or lower VESTIBULE_MAX_CONNECTIONS",
                connections::DESCRIPTOR_RESERVE
            );
        }
    }
    let addr = config.site_addr;
    let state = build_state(config).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartError::Listen(addr, e))?;
    tokio::spawn(sweep_forever(state.clone()));
    tokio::spawn(crate::mail::worker::run_forever(
        state.db.clone(),
        (*state.mailer).clone(),
        state.mail_wake.clone(),
    ));
    let mail_destination = state.mailer.describe();
    let billing_seller = state.config.billing.require_seller().map(|_| ());
    let hasher = state.hasher.clone();
    let app = crate::web::router(state);
    println!("Vestibule is running at http://{addr}");
    println!("Outgoing mail goes to {mail_destination}.");
    if let Err(missing) = &billing_seller {
        // Not an error: a server need not bill. Said once, where the operator looks.
        println!("Invoices are off until the seller's details are set: {missing}.");
    }
    tracing::info!(%addr, "listening");
    let limiter = connections::Limiter::new(limits);
    let listening = crate::web::listener::serve(listener, app, limiter, shutdown_signal()).await;
    // Read by scripts/bench-signin: connections closed at once over a cap or to make room,
    // failed accepts.
    tracing::info!(
        refused_over_total = listening.refused_over_total,
        refused_over_address = listening.refused_over_address,
        closed_for_room = listening.closed_for_room,
        accept_failures = listening.accept_failures,
        "connections"
    );
    let hashing = hasher.stats();
    // Read by scripts/bench-signin: how the hashing pool held up over the server's life.
    tracing::info!(
        peak_at_once = hashing.peak_running,
        completed = hashing.completed,
        skipped_for_gone_clients = hashing.skipped,
        "password hashing"
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// How often abandoned sessions, expired sign-up requests and finished throttle counters are
/// deleted, and the health data review reminders owed are queued.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Runs `sweep` now and then every hour. With several instances each one sweeps; the deletes
/// are idempotent, so that only costs a few extra queries.
async fn sweep_forever(state: AppState) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tick.tick().await;
        sweep(&state).await;
    }
}

async fn sweep(state: &AppState) {
    let now = crate::db::now();
    state.api_limiter.forget_idle();
    match crate::db::sessions::purge_expired(&state.db, state.lifetimes, now).await {
        Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions deleted"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "session sweep failed"),
    }
    match crate::db::signup_requests::purge_expired(&state.db, now).await {
        Ok(n) if n > 0 => tracing::info!(requests = n, "expired sign-up requests deleted"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "sign-up request sweep failed"),
    }
    let abandoned = now - crate::host::scm_oauth::FLOW_SECS;
    if let Err(e) = crate::db::scm::purge_states(&state.db, abandoned).await {
        tracing::warn!(error = %e, "OAuth flow sweep failed");
    }
    match crate::billing::run::scheduled(&state.db, &state.config, now).await {
        Some(Ok((month, summary))) if summary != Default::default() => {
            tracing::info!(%month, %summary, "monthly invoice run");
            state.mail_wake.notify_one();
        }
        Some(Err(e)) => tracing::warn!(error = %e, "monthly invoice run failed"),
        _ => {}
    }
    match state.server_host.send_hds_reminders(now).await {
        Ok(n) if n > 0 => tracing::info!(mails = n, "health data review reminders queued"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "health data reminders failed"),
    }
    // Sign-up counters keep a longer window than sign-in ones.
    let window = state.throttle.window_secs.max(state.throttle.signup_window_secs);
    match crate::db::throttle::purge_stale(&state.db, now, window).await {
        Ok(n) if n > 0 => tracing::info!(counters = n, "stale sign-in counters deleted"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "throttle sweep failed"),
    }
}
