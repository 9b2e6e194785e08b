//! The threads that run argon2: a fixed set, each with its own 19 MiB of blocks, at a lower
//! scheduling priority than the threads that answer requests.
//!
//! Hashes used to run on tokio's blocking pool. There, the memory went to whichever pool thread
//! ran the hash (the pool grows to hundreds of threads under a flood, each keeping its blocks in
//! its own malloc arena), and a hash competed for the CPU on equal terms with page requests, so a
//! sign-in flood doubled page latency. Threads of our own keep one set of blocks each for their
//! life, and their lower priority lets a page request take a core from a hash at once: sign-ins
//! then use the CPU that requests leave, which on a busy server is what they should get.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use argon2::Block;

use super::argon2id;
use crate::error::IamError;

/// Work for a hashing thread: it gets the thread's blocks.
pub(super) type Job = Box<dyn FnOnce(&mut [Block]) + Send>;

/// A fixed set of hashing threads. Dropping it ends them once their queue is empty.
pub(super) struct HashingThreads {
    jobs: mpsc::Sender<Job>,
    /// Sets of blocks allocated so far: at most one per thread.
    memory_sets: Arc<AtomicUsize>,
}

impl HashingThreads {
    /// Starts `count` threads (at least one). Their blocks are allocated at their first job, so
    /// a server nobody signs in to holds none.
    pub(super) fn start(count: usize) -> HashingThreads {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let memory_sets = Arc::new(AtomicUsize::new(0));
        for n in 0..count.max(1) {
            let queue = Arc::clone(&queue);
            let memory_sets = Arc::clone(&memory_sets);
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || run_jobs(&queue, &memory_sets));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "starting a password hashing thread failed");
            }
        }
        HashingThreads { jobs, memory_sets }
    }

    /// Queues `job` for the next free thread.
    pub(super) fn submit(&self, job: Job) -> Result<(), IamError> {
        self.jobs.send(job).map_err(|_| {
            IamError::internal(
                "the password hashing threads have stopped",
                "no thread takes jobs",
            )
        })
    }

    /// How many sets of blocks the threads hold.
    pub(super) fn memory_sets(&self) -> usize {
        self.memory_sets.load(Ordering::Relaxed)
    }
}

fn run_jobs(queue: &Mutex<mpsc::Receiver<Job>>, memory_sets: &AtomicUsize) {
    lower_priority();
    let mut memory: Option<Box<[Block]>> = None;
    loop {
        // The lock is held only while waiting for a job, so the threads take turns waiting.
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else {
            // The hasher is gone.
            return;
        };
        if memory.is_none() {
            match argon2id::production_memory() {
                Ok(blocks) => {
                    memory_sets.fetch_add(1, Ordering::Relaxed);
                    memory = Some(blocks);
                }
                Err(e) => {
                    // Dropping the job tells its caller the hash failed.
                    tracing::error!(error = %e, "the argon2 parameters are invalid");
                    continue;
                }
            }
        }
        if let Some(blocks) = memory.as_deref_mut() {
            job(blocks);
        }
    }
}

/// Lowers this thread's priority (Linux gives each thread its own nice value). Failing to is
/// not fatal: hashes then compete with requests as equals.
fn lower_priority() {
    /// How much less CPU a hashing thread gets than a request handler when both want it: at
    /// nice 10 the kernel gives a request handler about nine tenths of a contended core.
    #[cfg(target_os = "linux")]
    const HASHING_NICENESS: i32 = 10;
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(None, HASHING_NICENESS) {
        tracing::warn!(error = %e, "lowering the priority of a password hashing thread failed");
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_below_the_request_threads_with_blocks_kept_per_thread() {
        let threads = HashingThreads::start(1);
        let (seen, answers) = mpsc::channel();
        for _ in 0..3 {
            let seen = seen.clone();
            threads
                .submit(Box::new(move |blocks: &mut [Block]| {
                    let niceness = rustix::process::getpriority_process(None).unwrap();
                    seen.send((niceness, blocks.len())).unwrap();
                }))
                .unwrap();
        }
        for _ in 0..3 {
            let (niceness, blocks) = answers.recv().unwrap();
            assert!(niceness >= 10, "niceness {niceness}");
            assert_eq!(blocks, 19_456, "one 1 KiB block per KiB of m_cost");
        }
        assert_eq!(threads.memory_sets(), 1, "allocated once, reused");
    }
}
