// OneirOS's stand-in for Taskflow 3.8.0 (https://github.com/taskflow/taskflow), written for
// this repository: only the part of the API that ICICLE v3.9.2's CPU backend calls, so that
// ICICLE builds offline (its CMake would otherwise clone Taskflow from the internet).
//
// What ICICLE uses, and all this header provides:
//
//   tf::Taskflow flow;  flow.emplace(callable);  flow.clear();
//   tf::Executor ex;  tf::Executor ex(n);  ex.run(flow).wait();
//
// Tasks emplaced in a Taskflow have no dependencies between them (ICICLE never links
// tasks), so running a flow means running every task once, in any order, on at most
// num_workers() threads. run() returns once every task has run, with a future that is
// already ready; the first exception a task throws is stored in that future, like
// Taskflow's.
//
// The calling thread runs tasks itself and is helped by the threads of one pool per
// process (hardware_concurrency() − 1 threads, started on first use and never stopped).
// ICICLE makes an Executor per transform and runs flows of a few dozen tasks many times,
// so threads are not started per Executor, and run() never waits for a helper that has not
// been scheduled yet: it waits only for tasks that a helper has started.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace tf {

// Task is the handle emplace returns. ICICLE never uses it; it exists so that code which
// keeps the handle still compiles.
class Task {
public:
  Task() = default;
};

// Taskflow is a list of independent tasks.
class Taskflow {
public:
  Taskflow() = default;
  Taskflow(const Taskflow&) = delete;
  Taskflow& operator=(const Taskflow&) = delete;

  template <typename C>
  Task emplace(C&& callable)
  {
    tasks_.emplace_back(std::forward<C>(callable));
    return Task{};
  }

  void clear() { tasks_.clear(); }
  bool empty() const { return tasks_.empty(); }
  std::size_t num_tasks() const { return tasks_.size(); }

private:
  friend class Executor;
  std::vector<std::function<void()>> tasks_;
};

// Future is what Executor::run returns: a std::future that is ready when run returns.
template <typename T>
class Future : public std::future<T>
{
public:
  Future() = default;
  explicit Future(std::future<T>&& f) : std::future<T>(std::move(f)) {}
};

namespace detail {

  // Job is one run of a flow. Threads claim task indices from next; an index at or past
  // size means there is nothing left, and such a thread never touches the tasks (which
  // may be gone by then: a pool thread can wake up after its run has returned).
  class Job
  {
  public:
    Job(std::vector<std::function<void()>>& tasks, std::size_t helpers)
        : tasks_(tasks), size_(tasks.size()), helpers_(helpers)
    {
    }

    // claim_helper takes one of the helper places the run allows.
    bool claim_helper()
    {
      std::size_t h = helpers_.load();
      while (h > 0 && !helpers_.compare_exchange_weak(h, h - 1)) {}
      return h > 0;
    }

    void drain()
    {
      for (std::size_t i = next_.fetch_add(1); i < size_; i = next_.fetch_add(1)) {
        try {
          tasks_[i]();
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu_);
          if (!failure_) { failure_ = std::current_exception(); }
        }
        if (done_.fetch_add(1) + 1 == size_) {
          std::lock_guard<std::mutex> lock(mu_);
          finished_.notify_all();
        }
      }
    }

    // wait returns the first exception once every task has run.
    std::exception_ptr wait()
    {
      std::unique_lock<std::mutex> lock(mu_);
      finished_.wait(lock, [this] { return done_.load() == size_; });
      return failure_;
    }

  private:
    std::vector<std::function<void()>>& tasks_;
    const std::size_t size_;
    std::atomic<std::size_t> next_{0};
    std::atomic<std::size_t> done_{0};
    std::atomic<std::size_t> helpers_;
    std::mutex mu_;
    std::condition_variable finished_;
    std::exception_ptr failure_;
  };

  // Pool is the process's helper threads: each wakes up when a job is offered and helps
  // with the latest one.
  class Pool
  {
  public:
    static Pool& get()
    {
      static Pool* pool = new Pool(); // never destroyed: its threads live as long as the process
      return *pool;
    }

    std::size_t size() const { return size_; }

    void offer(const std::shared_ptr<Job>& job)
    {
      {
        std::lock_guard<std::mutex> lock(mu_);
        job_ = job;
        ++generation_;
      }
      offered_.notify_all();
    }

    void withdraw(const std::shared_ptr<Job>& job)
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (job_ == job) { job_.reset(); }
    }

  private:
    Pool() : size_(std::max(1u, std::thread::hardware_concurrency()) - 1)
    {
      for (std::size_t i = 0; i < size_; i++) {
        std::thread([this] { loop(); }).detach();
      }
    }

    void loop()
    {
      std::uint64_t seen = 0;
      for (;;) {
        std::shared_ptr<Job> job;
        {
          std::unique_lock<std::mutex> lock(mu_);
          offered_.wait(lock, [&] { return generation_ != seen; });
          seen = generation_;
          job = job_;
        }
        if (job && job->claim_helper()) { job->drain(); }
      }
    }

    const std::size_t size_;
    std::mutex mu_;
    std::condition_variable offered_;
    std::shared_ptr<Job> job_;
    std::uint64_t generation_ = 0;
  };

} // namespace detail

// Executor runs flows on at most num_workers() threads: the caller and pool helpers.
class Executor {
public:
  explicit Executor(std::size_t workers = std::thread::hardware_concurrency()) : workers_(workers > 0 ? workers : 1) {}
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  std::size_t num_workers() const { return workers_; }

  Future<void> run(Taskflow& flow)
  {
    std::promise<void> done;
    std::exception_ptr failure;
    auto& tasks = flow.tasks_;
    std::size_t helpers = tasks.size() > 1 ? std::min({workers_ - 1, tasks.size() - 1, detail::Pool::get().size()}) : 0;
    auto job = std::make_shared<detail::Job>(tasks, helpers);
    if (helpers > 0) { detail::Pool::get().offer(job); }
    job->drain();
    failure = job->wait();
    if (helpers > 0) { detail::Pool::get().withdraw(job); }
    if (failure) {
      done.set_exception(failure);
    } else {
      done.set_value();
    }
    return Future<void>(done.get_future());
  }

  // Runs a flow given by value (Taskflow's run(Taskflow&&)).
  Future<void> run(Taskflow&& flow) { return run(flow); }

  // Nothing runs in the background: every run has finished when it returns.
  void wait_for_all() {}

private:
  std::size_t workers_;
};

} // namespace tf
