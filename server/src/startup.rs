//! Building and running the server.

use std::future::Future;
use std::time::Duration;

use anyhow::Context as _;
use app::backend::tokens::Pepper;
use app::backend::{AppState, Clock, Store, accounts, invalidation};
use tokio::net::TcpListener;

use crate::admin;
use crate::config::ServeConfig;
use crate::limits::{ConnectionLimits, RequestLimits};
use crate::router::{WebOptions, router};

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    options: WebOptions,
    connections: ConnectionLimits,
}

impl Application {
    /// Opens the database, seeds the demo if asked and binds the address (port 0 allowed).
    pub async fn build(config: ServeConfig) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Clock::system()).await
    }

    pub async fn build_with_clock(config: ServeConfig, clock: Clock) -> anyhow::Result<Self> {
        config.check()?;
        let store = Store::connect(config.database_url.expose()).await?;
        let pepper = Pepper::open(&config.pepper_file, &store).await?;
        let state = AppState::new(store, clock, pepper)
            .with_objects_per_minute(config.objects_per_minute)
            .with_expiry_warning(config.expiry_warning)
            .with_token_policy(config.token_policy);
        if let Some(policy) = config.token_policy.summary() {
            tracing::info!(
                max_months = config.token_policy.max_months,
                require_expiry = config.token_policy.require_expiry,
                "token policy: {policy}"
            );
        }
        if config.seed_demo {
            if accounts::none_yet(&state).await? {
                admin::load_demo(&state, &mut std::io::stdout()).await?;
            } else {
                admin::remind_demo(&state, &mut std::io::stdout()).await?;
            }
        }
        match crate::assets::precompress(&config.dist) {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "compressed the client's files"),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "could not compress the client's files; serving them as they are"
            ),
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {} (is another server using it?)", config.addr))?;
        let bound = listener.local_addr().context("reading the bound address")?;
        let options = WebOptions {
            allowed_hosts: config.hosts_to_serve(bound),
            dist: config.dist,
            cookie_secure: config.cookie_secure,
            trusted_proxies: config.trusted_proxies,
            public_url: config.public_url,
            limits: RequestLimits::default(),
            access_log: config.access_log,
        };
        let origins: Vec<String> = options.allowed().origins().map(ToString::to_string).collect();
        tracing::info!(origins = ?origins, secure = options.is_secure(), "serving these origins");
        Ok(Self {
            listener,
            state,
            options,
            connections: config.connections,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish (within the
    /// shutdown timeout), stops applying other instances' changes, writes pending last-used
    /// times and closes the database.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let app = router(self.state.clone(), &self.options);
        let janitor = tokio::spawn(expire_sessions(self.state.clone()));
        let (stop_flusher, stopped) = tokio::sync::watch::channel(false);
        let flusher = tokio::spawn(flush_last_used(self.state.clone(), stopped));
        let changes = invalidation::Watcher::spawn(self.state.clone());
        crate::serve::serve(self.listener, app, self.connections, shutdown).await;
        janitor.abort();
        changes.stop().await;
        // Let a flush in progress finish (aborting it could drop the batch it took), then
        // write whatever is still pending.
        let _ = stop_flusher.send(true);
        let _ = flusher.await;
        match self
            .state
            .last_used
            .flush_all(&self.state.store, self.state.clock.now())
            .await
        {
            Ok(n) => tracing::info!(tokens = n, "wrote pending last-used times"),
            Err(error) => tracing::warn!(error = %error, "could not write pending last-used times"),
        }
        self.state.store.close().await;
        Ok(())
    }
}

/// Deletes expired sessions once an hour.
async fn expire_sessions(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(error) = state.store.delete_expired_sessions(state.clock.now()).await {
            tracing::warn!(error = %error, "could not delete expired sessions");
        }
    }
}

/// Writes coalesced token uses as they fall due: each token at most once a minute, and a
/// use shows in the list within about a minute (checking every second costs one lock).
async fn flush_last_used(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = stop.changed() => return,
        }
        if let Err(error) = state.last_used.flush_due(&state.store, state.clock.now()).await {
            tracing::warn!(error = %error, "could not write last-used times");
        }
    }
}

/// SIGINT and SIGTERM, listened for from the moment this is made: a signal that arrives
/// before [`ShutdownSignal::received`] is first polled is kept, not taken by the default
/// action that would end the process at once. (Elsewhere than on Unix, Ctrl+C is listened
/// for from the first poll.)
pub struct ShutdownSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    /// Starts listening; fails only when the signal handlers cannot be installed.
    pub fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Completes on the first SIGINT or SIGTERM since [`Self::install`].
    pub async fn received(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
    }
}
