//! Where `serve`'s log lines go: gathered in memory and written to standard
//! error by a thread of their own, a batch at a time. A request only copies
//! its line into the batch (no system call, no wake-up of another thread);
//! the thread writes every [`PERIOD`], or at once when [`EAGER`] bytes are
//! waiting, in one `write`. Nothing is dropped: when [`CAP`] bytes are
//! waiting (standard error is not being read), a line waits for room. The
//! [`Flush`] guard writes what is left when `serve` returns.
//!
//! (tracing-appender's non-blocking writer sends each line through a
//! channel whose reader spins and is woken per line: on a small machine
//! under load that thread took a tenth of the server's time.)

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How long a line may wait before it is written.
pub(crate) const PERIOD: Duration = Duration::from_millis(20);
/// Bytes waiting that wake the writing thread before its period ends.
const EAGER: usize = 64 * 1024;
/// Bytes waiting at most: a line that would go past waits for room.
const CAP: usize = 8 * 1024 * 1024;

#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    closed: bool,
}

#[derive(Default)]
struct Shared {
    batch: Mutex<Batch>,
    /// Wakes the writing thread (a full batch, or the end).
    wake: Condvar,
    /// Wakes lines that wait for room.
    room: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Batch> {
        self.batch.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The writer handed to the log subscriber (cheap to clone).
#[derive(Clone)]
pub(crate) struct Lines(Arc<Shared>);

/// Writes what is left, and stops the thread, when dropped.
pub(crate) struct Flush {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Starts the writing thread over `out`.
pub(crate) fn start<W: Write + Send + 'static>(mut out: W) -> std::io::Result<(Lines, Flush)> {
    let shared = Arc::new(Shared::default());
    let ours = shared.clone();
    let thread = std::thread::Builder::new()
        .name("switchboard-log".into())
        .spawn(move || {
            let mut spare = Vec::new();
            loop {
                let closed = {
                    let mut batch = ours.lock();
                    if batch.bytes.len() < EAGER && !batch.closed {
                        batch = ours
                            .wake
                            .wait_timeout(batch, PERIOD)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                    std::mem::swap(&mut batch.bytes, &mut spare);
                    batch.closed
                };
                ours.room.notify_all();
                // A failed write (standard error closed) loses only these lines.
                let _ = out.write_all(&spare).and_then(|()| out.flush());
                spare.clear();
                if closed {
                    return;
                }
            }
        })?;
    Ok((
        Lines(shared.clone()),
        Flush {
            shared,
            thread: Some(thread),
        },
    ))
}

impl Write for Lines {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut batch = self.0.lock();
        // A line longer than the cap alone is let through whole.
        while !batch.bytes.is_empty() && batch.bytes.len() + line.len() > CAP && !batch.closed {
            self.0.wake.notify_one();
            batch = self.0.room.wait(batch).unwrap_or_else(|e| e.into_inner());
        }
        batch.bytes.extend_from_slice(line);
        if batch.bytes.len() >= EAGER {
            self.0.wake.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Lines {
    type Writer = Lines;

    fn make_writer(&'a self) -> Lines {
        self.clone()
    }
}

impl Drop for Flush {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test reads back.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<(Vec<u8>, usize)>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let mut s = self.0.lock().unwrap();
            s.0.extend_from_slice(buf);
            s.1 += 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_in_order_in_few_writes_and_the_rest_at_the_end() {
        let sink = Sink::default();
        let (lines, flush) = start(sink.clone()).unwrap();
        let writers: Vec<_> = (0..4)
            .map(|t| {
                let mut w = lines.clone();
                std::thread::spawn(move || {
                    for i in 0..50_000 {
                        w.write_all(format!("{t} {i}\n").as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        drop(flush);
        let (bytes, writes) = sink.0.lock().unwrap().clone();
        let text = String::from_utf8(bytes).unwrap();
        let mut next = [0; 4];
        for line in text.lines() {
            let (t, i) = line.split_once(' ').unwrap();
            let t: usize = t.parse().unwrap();
            assert_eq!(
                i.parse::<usize>().unwrap(),
                next[t],
                "thread {t}'s lines in order, none lost"
            );
            next[t] += 1;
        }
        assert_eq!(next, [50_000; 4]);
        assert!(writes < 1_000, "{writes} writes for 200,000 lines");
    }

    #[test]
    fn a_line_is_written_within_the_period_without_more_lines() {
        let sink = Sink::default();
        let (mut lines, _flush) = start(sink.clone()).unwrap();
        lines.write_all(b"one line\n").unwrap();
        let deadline = std::time::Instant::now() + PERIOD * 50;
        while sink.0.lock().unwrap().0.is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "the line waited past the period"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(sink.0.lock().unwrap().0, b"one line\n");
    }
}
