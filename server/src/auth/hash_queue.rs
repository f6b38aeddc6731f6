//! The hashing workers' queue: two bounded lanes, the priority lane served first.
//!
//! Sign-ins from a browser that signed in to the account before (a device cookie) and
//! operator commands take the priority lane, so a flood of anonymous attempts (each costing a
//! hash) fills only its own lane: the account owner's sign-in still gets the next free worker.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};

pub type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Priority,
    Anonymous,
}

#[derive(Debug)]
pub struct Full;

pub struct Queue {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    ready: Condvar,
    capacity: usize,
}

struct State {
    priority: VecDeque<Job>,
    anonymous: VecDeque<Job>,
    closed: bool,
}

impl Queue {
    /// Starts `workers` threads; each lane holds up to `capacity` waiting jobs.
    pub fn start(workers: usize, capacity: usize) -> std::io::Result<Queue> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                priority: VecDeque::new(),
                anonymous: VecDeque::new(),
                closed: false,
            }),
            ready: Condvar::new(),
            capacity,
        });
        for n in 0..workers.max(1) {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("hasher-{n}"))
                .spawn(move || work(&shared))?;
        }
        Ok(Queue { shared })
    }

    pub fn push(&self, lane: Lane, job: Job) -> Result<(), Full> {
        let Ok(mut state) = self.shared.state.lock() else {
            return Err(Full);
        };
        let queue = match lane {
            Lane::Priority => &mut state.priority,
            Lane::Anonymous => &mut state.anonymous,
        };
        if queue.len() >= self.shared.capacity {
            return Err(Full);
        }
        queue.push_back(job);
        drop(state);
        self.shared.ready.notify_one();
        Ok(())
    }
}

impl Drop for Queue {
    /// The workers finish what is queued, then stop.
    fn drop(&mut self) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.closed = true;
        }
        self.shared.ready.notify_all();
    }
}

fn work(shared: &Shared) {
    loop {
        let job = {
            let Ok(mut state) = shared.state.lock() else { return };
            loop {
                if let Some(job) = state.priority.pop_front().or_else(|| state.anonymous.pop_front()) {
                    break job;
                }
                if state.closed {
                    return;
                }
                state = match shared.ready.wait(state) {
                    Ok(state) => state,
                    Err(_) => return,
                };
            }
        };
        // Hashing happens outside the lock.
        job();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn the_priority_lane_goes_first_and_each_lane_is_bounded() {
        let queue = Queue::start(1, 2).unwrap();
        let (release, hold) = mpsc::channel::<()>();
        let (started, is_started) = mpsc::channel::<()>();
        queue
            .push(
                Lane::Anonymous,
                Box::new(move || {
                    started.send(()).unwrap();
                    hold.recv().unwrap();
                }),
            )
            .unwrap();
        is_started.recv().unwrap(); // the only worker is busy now
        let (done, order) = mpsc::channel::<&'static str>();
        for (lane, name) in [(Lane::Anonymous, "anonymous 1"), (Lane::Anonymous, "anonymous 2")] {
            let done = done.clone();
            queue.push(lane, Box::new(move || done.send(name).unwrap())).unwrap();
        }
        assert!(
            queue.push(Lane::Anonymous, Box::new(|| ())).is_err(),
            "anonymous lane full"
        );
        let done_priority = done.clone();
        queue
            .push(
                Lane::Priority,
                Box::new(move || done_priority.send("priority").unwrap()),
            )
            .unwrap();
        release.send(()).unwrap();
        let seen: Vec<_> = (0..3).map(|_| order.recv().unwrap()).collect();
        assert_eq!(seen, ["priority", "anonymous 1", "anonymous 2"]);
    }
}
