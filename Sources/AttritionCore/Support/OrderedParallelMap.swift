import Foundation

/// Runs `work` for items `0..<count` on several threads and hands each result to `consume` on
/// the calling thread, in item order, as soon as it and every earlier one are ready. At most
/// `window` items are worked on or waiting ahead of the consumer, so memory stays bounded. The
/// first error — from `work` or `consume`, in item order — stops the rest and is thrown.
///
/// This is how a source of many files is read: files parsed side by side, their rows added to
/// the one table in file order, so the result is exactly that of reading them one by one.
func orderedParallelMap<Result>(count: Int, workers: Int = OrderedParallelism.workers, window: Int? = nil,
                                _ work: @escaping @Sendable (Int) throws -> Result,
                                consume: (Int, Result) throws -> Void) throws {
    guard count > 0 else { return }
    let slots = ResultSlots<Result>(count: count, window: window ?? workers * 2)
    let threads = max(1, min(workers, count))
    let group = DispatchGroup()
    for _ in 0..<threads {
        DispatchQueue.global().async(group: group) {
            while let index = slots.claim() {
                slots.fill(index, Swift.Result { try work(index) })
            }
        }
    }
    defer {
        slots.stop()
        group.wait()
    }
    for index in 0..<count {
        try consume(index, try slots.take(index).get())
    }
}

/// Work on items side by side, the results in item order.
enum ParallelWork {
    /// `work(index)` for every index in `0..<count`, on every core; the first error is thrown.
    static func map<Result>(count: Int, _ work: @escaping @Sendable (Int) throws -> Result) throws -> [Result] {
        var results: [Result] = []
        results.reserveCapacity(count)
        try orderedParallelMap(count: count, window: max(count, 1), work) { _, result in results.append(result) }
        return results
    }
}

/// How many threads read files side by side: the machine's cores, at most eight.
enum OrderedParallelism {
    static var workers: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }
}

/// The hand-over between worker threads and the consumer: which item is next to claim, and
/// each finished item's result until it is taken.
private final class ResultSlots<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Swift.Result<Result, Error>?]
    private var nextToClaim = 0
    private var nextToTake = 0
    private var stopped = false
    private let window: Int

    init(count: Int, window: Int) {
        results = Array(repeating: nil, count: count)
        self.window = max(1, window)
    }

    /// The next item to work on, waiting while the window ahead of the consumer is full; nil when none is left.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, nextToClaim < results.count, nextToClaim - nextToTake >= window { condition.wait() }
        guard !stopped, nextToClaim < results.count else { return nil }
        defer { nextToClaim += 1 }
        return nextToClaim
    }

    func fill(_ index: Int, _ result: Swift.Result<Result, Error>) {
        condition.lock()
        results[index] = result
        if case .failure = result { stopped = true }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for item `index` and takes its result.
    func take(_ index: Int) -> Swift.Result<Result, Error> {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        let result = results[index]!
        results[index] = nil
        nextToTake = index + 1
        condition.broadcast()
        return result
    }

    /// No more items are claimed (an error, or the consumer is done).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
