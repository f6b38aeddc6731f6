use server::cli::{self, Command};
use server::config::Config;
use server::serve;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fail(message: impl std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("vestibule: {message}");
    ExitCode::from(code)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(command) => command,
        Err(message) => return fail(format!("{message}\n\n{}", cli::USAGE), 2),
    };
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(format!("configuration error: {e}"), 2),
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log_filter))
        .with_target(false)
        // Colour codes only for a person at a terminal, not in files and log collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(format!("cannot start the async runtime: {e}"), 1),
    };
    runtime.block_on(run(command, config))
}

async fn run(command: Command, config: Config) -> ExitCode {
    match command {
        Command::Serve | Command::Help => match serve::serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e, 1),
        },
        Command::Migrate => match serve::open_database(&config).await {
            Ok(_) => {
                println!("Migrations applied.");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e, 1),
        },
        Command::CreateUser { username, email } => {
            let result = with_db_and_password(&config, |db, hasher, password| async move {
                cli::create_user(&db, &hasher, &username, &email, &password)
                    .await
                    .map(|id| format!("Created user {username} ({id})."))
            })
            .await;
            report(result)
        }
        Command::PublishDocument(args) => {
            let result = match serve::open_database(&config).await {
                Ok(db) => cli::publish_document(&db, &args).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::ListDocuments => {
            let result = match serve::open_database(&config).await {
                Ok(db) => cli::list_documents(&db).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::TestMail { to } => {
            let result = match (serve::open_database(&config).await, serve::mailer(&config)) {
                (Ok(db), Ok(mailer)) => cli::send_test_mail(&db, &mailer, &to).await,
                (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
            };
            report(result)
        }
        Command::CreateApp { owner, name } => {
            let result = match serve::open_database(&config).await {
                Ok(db) => cli::create_app(&db, &owner, &name).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::DeleteApp { name } => {
            let result = match serve::open_database(&config).await {
                Ok(db) => cli::delete_app(&db, &name).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::BillingUsage { app, month, hours } => {
            let result = match serve::open_database(&config).await {
                Ok(db) => server::billing::operator::record_usage(&db, &app, month, hours).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::BillingRun { month } => {
            let result = match serve::open_database(&config).await {
                Ok(db) => server::billing::operator::run(&db, &config, month).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::BillingCredit {
            user,
            amount_cents,
            reason,
        } => {
            let result = match serve::open_database(&config).await {
                Ok(db) => server::billing::operator::add_credit(&db, &user, amount_cents, &reason).await,
                Err(e) => Err(e.to_string()),
            };
            report(result)
        }
        Command::ResetPassword { username } => {
            let result = with_db_and_password(&config, |db, hasher, password| async move {
                cli::reset_password(&db, &hasher, &username, &password)
                    .await
                    .map(|()| format!("Password of {username} changed; their sessions were revoked."))
            })
            .await;
            report(result)
        }
    }
}

async fn with_db_and_password<F, Fut>(config: &Config, job: F) -> Result<String, String>
where
    F: FnOnce(server::db::Db, server::auth::password::Hasher, String) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let password = cli::read_password(std::io::stdin())?;
    let db = serve::open_database(config).await.map_err(|e| e.to_string())?;
    let hasher = serve::hasher().map_err(|e| e.to_string())?;
    job(db, hasher, password).await
}

fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => fail(message, 1),
    }
}
