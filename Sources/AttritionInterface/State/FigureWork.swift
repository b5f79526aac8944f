import AttritionCore
import Foundation

/// What the figures on screen are worked out from: the settings a key press can change. Equal
/// inputs give equal figures, so a key that leaves them as they were costs no work.
public struct FigureInputs: Equatable, Sendable {
    /// The cases kept.
    public var filter: CaseFilter
    /// The breakdown's dimension.
    public var dimension: String
    /// Which cases rates are read over.
    public var basis: RateBasis
    /// How flags are corrected for the number of groups compared.
    public var correction: MultipleComparison
    /// The dimension whose case mix flags are adjusted for, if any.
    public var adjust: String?
    /// The query of the reviewer's page on top; nil on pages that need no analysis of their own.
    public var analysis: AnalysisQuery?

    /// Whether `other` asks for the same funnels (the analysis aside).
    func sameFunnels(as other: FigureInputs) -> Bool {
        filter == other.filter && dimension == other.dimension && basis == other.basis
            && correction == other.correction && adjust == other.adjust
    }
}

/// The figures on screen, with the inputs they were worked out from.
public struct ScreenFigures: Sendable {
    /// The inputs these answer; `inputs.analysis` is the query `analysis` answers.
    public var inputs: FigureInputs
    /// The funnel of all filtered cases.
    public var overall: Funnel
    /// The funnel by the dimension of the filtered cases.
    public var breakdown: Funnel
    /// Under the all-cases basis, each group of the breakdown over closed cases, by name.
    public var closedGroups: [String: GroupFunnel]
    /// The last reviewer's analysis worked out, kept while pages without one are on top.
    public var analysis: Analysis?
}

/// Why a request for figures failed, in words for the status line.
public struct FigureFailure: Error, Sendable, CustomStringConvertible {
    /// The error's text.
    public let description: String
    /// True when the funnels were worked out and only the page's own analysis failed.
    public let inAnalysis: Bool
}

/// A piece of work for the figure worker: new inputs, numbered so an answer to an older request
/// is recognised and dropped, and the figures on screen to reuse what has not changed.
public struct FigureRequest: Sendable {
    /// Increases with every request the state makes.
    public let generation: Int
    /// What to work out.
    public let inputs: FigureInputs
    /// The figures on screen when the request was made.
    let shown: ScreenFigures
    /// The cases.
    let table: CaseTable

    /// The figures for `inputs`: the funnels again when their inputs changed, then the page's
    /// analysis when it is not already on screen. `isStale` is asked between the pieces; once it
    /// says yes the work stops and the answer is nil.
    public func answer(isStale: () -> Bool = { false }) -> FigureAnswer? {
        var figures = shown
        var analysisStarted = false
        do {
            if !inputs.sameFunnels(as: shown.inputs) {
                figures = try FigureRequest.funnels(of: table, inputs)
            }
            let kept = figures.inputs.analysis
            if var query = inputs.analysis, query != kept || figures.analysis == nil {
                guard !isStale() else { return nil }
                // A reference group the filter has since taken away goes back to the overall rate.
                if let reference = query.reference, !figures.breakdown.groups.contains(where: { $0.name == reference }) {
                    query.reference = nil
                }
                analysisStarted = true
                figures.analysis = try query.analysis(of: table, grouped: figures.breakdown)
                figures.inputs.analysis = query
            }
            let answered = figures.inputs.analysis
            figures.inputs = inputs
            figures.inputs.analysis = answered
            return FigureAnswer(generation: generation, outcome: .success(figures))
        } catch {
            return FigureAnswer(generation: generation, outcome: .failure(FigureFailure(description: "\(error)", inAnalysis: analysisStarted)))
        }
    }

    /// The overall funnel, the breakdown and its closed-case twin for `inputs` (no analysis),
    /// from one pass over the rows.
    static func funnels(of table: CaseTable, _ inputs: FigureInputs) throws -> ScreenFigures {
        let grouping = try table.requireDimension(inputs.dimension)
        let adjust = try inputs.adjust.flatMap { $0.lowercased() == inputs.dimension.lowercased() ? nil : try table.requireDimension($0) }
        // Under the all-cases basis the closed-case flags say which flags rest on open cases.
        let bases: [RateBasis] = inputs.basis == .all ? [.all, .closed] : [inputs.basis]
        let funnels = try FunnelAnalysis.funnels(of: table, by: grouping, filter: inputs.filter, bases: bases,
                                                 correction: inputs.correction, adjustFor: adjust)
        let closedGroups = funnels.count > 1
            ? Dictionary(funnels[1].groups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) : [:]
        var settled = inputs
        settled.analysis = nil
        return ScreenFigures(inputs: settled, overall: funnels[0].ungrouped, breakdown: funnels[0], closedGroups: closedGroups)
    }
}

/// The worker's reply to one request.
public struct FigureAnswer: Sendable {
    /// The request's generation.
    public let generation: Int
    /// The figures, or why they could not be worked out.
    public let outcome: Result<ScreenFigures, FigureFailure>
}

/// Works the interface's figures out on a thread of its own, so a key press never waits for
/// them: the screen keeps the previous figures, marked busy, until the answer comes. Only the
/// newest request matters: one submitted while another waits replaces it unstarted, and one
/// being worked out stops at its next piece (the funnels, the page's analysis) and its answer
/// is never delivered.
public final class FigureWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: FigureRequest?
    private var newest = 0
    private var answer: FigureAnswer?
    private var stopping = false
    private var dropped = 0

    /// A worker with its thread started; `stop()` ends the thread.
    public init() {
        let thread = Thread { self.run() }
        thread.name = "attrition figures"
        thread.start()
    }

    /// Asks for `request`'s figures, in place of any older request.
    public func submit(_ request: FigureRequest) {
        condition.lock()
        // A request still waiting is replaced unstarted; an answer not yet taken will never be.
        if waiting != nil { dropped += 1 }
        if answer != nil { dropped += 1 }
        waiting = request
        newest = request.generation
        answer = nil
        condition.broadcast()
        condition.unlock()
    }

    /// The answer to the newest request, if it has come (taken once).
    public func take() -> FigureAnswer? {
        condition.lock()
        defer { condition.unlock() }
        let taken = answer
        answer = nil
        return taken
    }

    /// The answer to the newest request, waiting for it (for keys that act on the figures, such as drill-down).
    public func waitForAnswer() -> FigureAnswer {
        condition.lock()
        defer { condition.unlock() }
        while answer == nil { condition.wait() }
        let taken = answer!
        answer = nil
        return taken
    }

    /// How many requests were given up: replaced before they started, stopped part-way, or
    /// answered after a newer one came.
    public var abandoned: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// Ends the worker's thread once any work in hand stops.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func isStale(_ generation: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return newest != generation || stopping
    }

    private func run() {
        while true {
            condition.lock()
            while waiting == nil && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            let request = waiting!
            waiting = nil
            condition.unlock()
            let result = request.answer { isStale(request.generation) }
            condition.lock()
            if let result, result.generation == newest {
                answer = result
                condition.broadcast()
            } else {
                dropped += 1
            }
            condition.unlock()
        }
    }
}
