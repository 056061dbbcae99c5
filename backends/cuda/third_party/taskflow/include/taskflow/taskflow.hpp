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
// num_workers() threads. run() runs the flow before it returns, on the calling thread and
// up to num_workers() − 1 helper threads, and returns a future that is already ready; the
// first exception a task throws is stored in that future, like Taskflow's.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
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

// Executor runs flows on at most num_workers() threads.
class Executor {
public:
  explicit Executor(std::size_t workers = std::thread::hardware_concurrency()) : workers_(workers > 0 ? workers : 1) {}
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  std::size_t num_workers() const { return workers_; }

  Future<void> run(Taskflow& flow)
  {
    std::promise<void> done;
    std::exception_ptr failure = run_all(flow.tasks_);
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
  std::exception_ptr run_all(std::vector<std::function<void()>>& tasks)
  {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex mu;
    auto work = [&]() {
      for (std::size_t i = next.fetch_add(1); i < tasks.size(); i = next.fetch_add(1)) {
        try {
          tasks[i]();
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu);
          if (!failure) { failure = std::current_exception(); }
        }
      }
    };
    std::size_t helpers = 0;
    if (tasks.size() > 1) { helpers = (tasks.size() < workers_ ? tasks.size() : workers_) - 1; }
    std::vector<std::thread> threads;
    threads.reserve(helpers);
    for (std::size_t i = 0; i < helpers; i++) {
      threads.emplace_back(work);
    }
    work();
    for (auto& t : threads) {
      t.join();
    }
    return failure;
  }

  std::size_t workers_;
};

} // namespace tf
