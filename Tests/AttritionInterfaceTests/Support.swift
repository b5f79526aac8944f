@_exported import AttritionTestSupport
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

/// A start state on the sample at `rows` × `columns`.
func startState(rows: Int = 24, columns: Int = 80, ascii: Bool = false, result: ImportResult = sample) -> AppState {
    try! AppState(table: result.table, report: result.report, display: Display(rows: rows, columns: columns, ascii: ascii))
}

/// The state after pressing `keys` in turn, each key's figures worked out before the next (as
/// the host does when keys come slower than figures).
func press(_ state: AppState, _ keys: [Key]) -> AppState {
    keys.reduce(state) { Update.settled(Update.apply($0, $1)) }
}

/// Keys from a string: each character is a key press.
func typed(_ text: String) -> [Key] { text.map { Key.character($0) } }

/// The screen text of `state`.
func rendered(_ state: AppState) -> MemoryScreen {
    let screen = MemoryScreen(rows: state.display.rows, columns: state.display.columns)
    Renderer.draw(state, on: screen)
    return screen
}

/// The styles of a rendered screen, one character a cell: `.` plain, else a character from
/// `styleCodes` at index colour × 8 + bold + 2 × reverse + 4 × dim (colour 0 for none, else the
/// `ColourRole` raw value).
func styleMap(_ screen: MemoryScreen) -> String {
    (0..<screen.size.rows).map { row in
        var line = String((0..<screen.size.columns).map { column -> Character in
            let style = screen.style(row: row, column: column)
            let index = (style.colour?.rawValue ?? 0) * 8 + (style.bold ? 1 : 0) + (style.reverse ? 2 : 0) + (style.dim ? 4 : 0)
            return styleCodes[index]
        })
        while line.last == "." { line.removeLast() }
        return line
    }.joined(separator: "\n")
}

private let styleCodes = Array(".123456789abcdefghijklmnopqrstuvwxyzABCD")

/// The separator between a stored screen's text and its styles.
let styleSeparator = "──── styles: . plain; code = colour × 8 + bold + 2 × reverse + 4 × dim (Support.swift) ────"

/// Compares the rendering of `state`, text and styles, with `Expected/NAME.txt`, listing every
/// row that differs. A missing file fails. With ATTRITION_RECORD=1 in the environment the file is
/// written and the test still fails, so a recording is never taken for a pass: review the new
/// file by eye, commit it, and run again without the variable.
func expectSnapshot(_ state: AppState, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let screen = rendered(state)
    let text = screen.text + "\n" + styleSeparator + "\n" + styleMap(screen) + "\n"
    let file = repositoryRoot.appendingPathComponent("Tests/AttritionInterfaceTests/Expected/\(name).txt")
    if ProcessInfo.processInfo.environment["ATTRITION_RECORD"] == "1" {
        try text.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("\(name): recorded Expected/\(name).txt; review it and run again without ATTRITION_RECORD", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("\(name): no Expected/\(name).txt; the screen is:\n\(text)", sourceLocation: sourceLocation)
        return
    }
    guard text != expected else { return }
    let got = text.split(separator: "\n", omittingEmptySubsequences: false)
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let differing = (0..<max(got.count, want.count)).filter { $0 >= got.count || $0 >= want.count || got[$0] != want[$0] }
    let diff = differing.map { row in
        "row \(row)\n  want: \(row < want.count ? String(want[row]) : "(nothing)")\n  got:  \(row < got.count ? String(got[row]) : "(nothing)")"
    }.joined(separator: "\n")
    Issue.record("\(name): \(differing.count) rows differ from Expected/\(name).txt (rows past \(screen.size.rows) are styles)\n\(diff)",
                 sourceLocation: sourceLocation)
}

extension Analysis {
    /// The survival table, when this is one.
    var survival: SurvivalTable? {
        if case .survival(let table) = self { return table }
        return nil
    }

    /// The cross-tab, when this is one.
    var crossTab: CrossTab? { if case .crossTab(let tab) = self { tab } else { nil } }
    /// The comparison, when this is one.
    var comparison: ComparisonTable? { if case .comparison(let table) = self { table } else { nil } }
    /// The reasons, when these are.
    var reasons: ReasonTable? { if case .reasons(let table) = self { table } else { nil } }
}

/// The synthetic police.uk archive shipped in SampleData (no referral stage, no victim characteristics).
let policeUK: ImportResult = {
    let path = repositoryRoot.appendingPathComponent("SampleData/police-uk-sample.zip").path
    return try! PoliceUKReader(sourceName: "police-uk-sample.zip").read(PoliceUKFiles.archive(ZipReader(path: path)))
}()
