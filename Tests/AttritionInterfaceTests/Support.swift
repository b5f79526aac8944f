import AttritionCore
import AttritionInterface
import AttritionTerminal
import Foundation
import Testing

/// The built-in sample, imported once for all interface tests.
let sample: ImportResult = {
    try! CaseImporter(fileName: "london-vawg-sample.csv (built-in sample)")
        .importCases(from: CSVScanner(source: MemoryByteSource(SampleGenerator.bytes(.shipped))))
}()

/// The messy example shipped in SampleData, which has rejected rows and warnings.
let messy: ImportResult = {
    let path = repositoryRoot.appendingPathComponent("SampleData/messy-example.csv").path
    return try! CaseImporter(fileName: "messy-example.csv").importFile(atPath: path)
}()

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A start state on the sample at `rows` × `columns`.
func startState(rows: Int = 24, columns: Int = 80, ascii: Bool = false, result: ImportResult = sample) -> AppState {
    try! AppState(table: result.table, report: result.report, display: Display(rows: rows, columns: columns, ascii: ascii))
}

/// The state after pressing `keys` in turn.
func press(_ state: AppState, _ keys: [Key]) -> AppState {
    keys.reduce(state) { Update.apply($0, $1) }
}

/// Keys from a string: each character is a key press.
func typed(_ text: String) -> [Key] { text.map { Key.character($0) } }

/// The screen text of `state`.
func rendered(_ state: AppState) -> MemoryScreen {
    let screen = MemoryScreen(rows: state.display.rows, columns: state.display.columns)
    Renderer.draw(state, on: screen)
    return screen
}

/// Compares the rendering of `state` with `Expected/NAME.txt`. With ATTRITION_RECORD=1 in the
/// environment the file is written instead (then review it and commit it).
func expectSnapshot(_ state: AppState, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let text = rendered(state).text + "\n"
    let file = repositoryRoot.appendingPathComponent("Tests/AttritionInterfaceTests/Expected/\(name).txt")
    if ProcessInfo.processInfo.environment["ATTRITION_RECORD"] == "1" {
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    if text != expected {
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
        Issue.record("""
            \(name): screen differs from Expected/\(name).txt at row \(firstDifference)
            want: \(firstDifference < want.count ? String(want[firstDifference]) : "(nothing)")
            got:  \(firstDifference < got.count ? String(got[firstDifference]) : "(nothing)")
            """, sourceLocation: sourceLocation)
    }
}

extension Analysis {
    /// The cross-tab, when this is one.
    var crossTab: CrossTab? { if case .crossTab(let tab) = self { tab } else { nil } }
    /// The comparison, when this is one.
    var comparison: ComparisonTable? { if case .comparison(let table) = self { table } else { nil } }
    /// The reasons, when these are.
    var reasons: ReasonTable? { if case .reasons(let table) = self { table } else { nil } }
}
