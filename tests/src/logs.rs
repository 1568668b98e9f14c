//! Everything the code logs while a test runs, to prove what it does not log.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::subscriber::DefaultGuard;

/// Collects everything a fmt subscriber writes.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every event at every level on this thread until [`finish`](Self::finish).
/// Use it in a `current_thread` test, so the code under test logs on this thread too.
pub struct LogCapture {
    buffer: Buffer,
    guard: DefaultGuard,
    _anchor: tracing::Dispatch,
}

impl LogCapture {
    /// Starts capturing.
    pub fn start() -> Self {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        // tracing caches each callsite's interest for the whole process. While only one
        // dispatcher exists, it asks the default subscriber of whichever thread reaches a
        // callsite first, so a sibling test without a subscriber would silence an event for
        // this capture too (tokio-rs/tracing#3611). A second live dispatcher makes it ask all.
        let anchor = tracing::Dispatch::new(tracing_subscriber::registry());
        let guard = tracing::subscriber::set_default(subscriber);
        Self {
            buffer,
            guard,
            _anchor: anchor,
        }
    }

    /// Stops capturing; answers the bytes written.
    pub fn finish(self) -> Vec<u8> {
        drop(self.guard);
        self.buffer.0.lock().expect("log buffer").clone()
    }
}
