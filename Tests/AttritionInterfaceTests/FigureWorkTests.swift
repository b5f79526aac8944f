import AttritionCore
import AttritionInterface
import AttritionTerminal
import Foundation
import Testing

/// Figures worked out off the key path: the earlier screen stays with a busy mark, a
/// later key overtakes an earlier request, and the worker delivers only the newest answer.
@Suite struct FigureWorkTests {
    /// The screen as the host draws `state`: while its figures are out, `settled`'s screen with the busy mark.
    private func drawn(_ state: AppState, settled: AppState) -> [Substring] {
        let screen = MemoryScreen(rows: state.display.rows, columns: state.display.columns)
        Renderer.draw(state, settled: settled, on: screen)
        return screen.text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Cases in the sample at `stage` or beyond, counted straight from the column.
    private func reached(_ stage: Stage) -> Int {
        sample.table.furthestStages.filter { Int($0) >= stage.rawValue }.count
    }

    @Test func aKeyLeavesTheEarlierFiguresMarkedBusyUntilTheAnswerComes() throws {
        let start = startState()
        let asked = Update.apply(start, .character("a"))
        // The setting changes at once; the figures on screen are still those over all cases.
        #expect(asked.basis == .closed)
        let request = try #require(asked.pendingFigures)
        #expect(asked.overall.basis == .all)
        #expect(asked.overall.total.steps[0].step.total == reached(.reported))
        // The screen is the one before the key, every label with its figures, and the busy mark.
        let busy = drawn(asked, settled: start)
        let before = rendered(start).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(busy[0].hasSuffix("◔ working…"))
        #expect(Array(busy.dropFirst()) == Array(before.dropFirst()))

        let answer = try #require(request.answer())
        let arrived = Update.figuresArrived(asked, answer)
        #expect(arrived.pendingFigures == nil)
        #expect(arrived.overall.basis == .closed)
        // Over closed cases the first step leaves out the cases still open at report.
        let openAtReport = (0..<sample.table.rowCount).filter {
            sample.table.furthestStages[$0] == UInt8(Stage.reported.rawValue) && sample.table.outcomes[$0] == CaseOutcome.open.code
        }.count
        #expect(arrived.overall.total.steps[0].step.total == reached(.reported) - openAtReport)
        #expect(!drawn(arrived, settled: start).joined().contains("working"))
    }

    @Test func theBusyMarkHasAnASCIIForm() throws {
        let start = startState(ascii: true)
        #expect(drawn(Update.apply(start, .character("a")), settled: start)[0].hasSuffix("[working]"))
    }

    @Test func anAnswerOvertakenByALaterKeyIsDropped() throws {
        let first = Update.apply(startState(), .character("a"))
        let firstRequest = try #require(first.pendingFigures)
        let second = Update.apply(first, .character("M"))
        let secondRequest = try #require(second.pendingFigures)
        #expect(secondRequest.generation > firstRequest.generation)
        // The first answer comes late: nothing changes, and the second is still awaited.
        let late = Update.figuresArrived(second, try #require(firstRequest.answer()))
        #expect(late.pendingFigures?.generation == secondRequest.generation)
        #expect(late.overall.basis == .all)
        let done = Update.figuresArrived(late, try #require(secondRequest.answer()))
        #expect(done.pendingFigures == nil)
        #expect(done.overall.basis == .closed)
        #expect(done.breakdown.correction == .fdr)
    }

    @Test func aKeyThatUndoesThePendingChangeWithdrawsTheRequest() throws {
        let asked = Update.apply(startState(), .character("a"))
        #expect(asked.pendingFigures != nil)
        let back = Update.apply(asked, .character("a"))
        #expect(back.pendingFigures == nil)
        #expect(!drawn(back, settled: asked).joined().contains("working"))
        // The withdrawn request's answer, should it come, is dropped.
        let late = Update.figuresArrived(back, try #require(asked.pendingFigures?.answer()))
        #expect(late.overall.basis == .all)
    }

    @Test func keysThatChangeNoFiguresAskForNone() {
        let start = startState()
        for key in [Key.down, .up, .tab, .character("?"), .character("i")] {
            #expect(Update.apply(start, key).pendingFigures == nil, "\(key)")
        }
        // Help over a reviewer's page keeps its figures: going back needs no new work.
        let heatmap = press(start, [.character("b"), .character("H")])
        let help = Update.apply(heatmap, .character("?"))
        #expect(help.pendingFigures == nil)
        #expect(Update.apply(help, .character("q")).pendingFigures == nil)
        #expect(Update.apply(help, .character("q")).analysis != nil)
    }

    @Test func aNewPageOpensWhenItsOwnFiguresAreIn() throws {
        let heatmap = press(startState(), [.character("b"), .character("H")])
        #expect(heatmap.analysis != nil)
        // The trend is also a cross-tab: the heatmap's must not stand in for it.
        let trend = Update.apply(heatmap, .character("T"))
        #expect(trend.page == .trend)
        #expect(trend.pendingFigures != nil)
        #expect(trend.analysis == nil)
        // Until they come, the heatmap stays on screen, marked busy.
        let busy = drawn(trend, settled: heatmap)
        #expect(busy[0].hasSuffix("◔ working…"))
        #expect(Array(busy.dropFirst()) == Array(rendered(heatmap).text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()))
        #expect(Update.settled(trend).analysis != nil)
    }

    @Test func theWorkerAnswersOnlyTheNewestRequest() throws {
        let worker = FigureWorker()
        defer { worker.stop() }
        var state = startState()
        var requests: [FigureRequest] = []
        // Nineteen keys in a row, faster than figures: basis and correction flipped in turn (every
        // fourth key is back at the figures on screen, and asks for none).
        for index in 0..<19 {
            state = Update.apply(state, .character(index.isMultiple(of: 2) ? "a" : "M"))
            if let request = state.pendingFigures {
                requests.append(request)
                worker.submit(request)
            }
        }
        #expect(requests.count == 15)
        let answer = worker.waitForAnswer()
        #expect(answer.generation == requests.last!.generation)
        #expect(worker.abandoned == requests.count - 1)
        #expect(worker.take() == nil)
        let arrived = Update.figuresArrived(state, answer)
        let direct = Update.settled(state)
        #expect(arrived.pendingFigures == nil)
        #expect(arrived.overall.total.steps == direct.overall.total.steps)
        #expect(arrived.breakdown.groups.map(\.name) == direct.breakdown.groups.map(\.name))
        #expect(arrived.breakdown.groups.map(\.steps) == direct.breakdown.groups.map(\.steps))
    }

    @Test func anAnswerNotTakenBeforeTheNextRequestIsGivenUp() throws {
        let worker = FigureWorker()
        defer { worker.stop() }
        var state = startState()
        // Keys slower than figures: each answer is ready, and never taken, when the next key comes.
        for key in typed("aMa") {
            state = Update.apply(state, key)
            worker.submit(try #require(state.pendingFigures))
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(worker.waitForAnswer().generation == state.pendingFigures?.generation)
        #expect(worker.abandoned == 2)
    }
}
