import AttritionCore
@testable import AttritionInterface
import AttritionTerminal
import Foundation
import Testing

/// A value for each analysis option that the built-in sample can answer, set away from its default.
private let optionValues: [AnalysisParameter: String] = [
    .dimension: "victim_age_band", .columns: "borough", .step: "charged", .stoppedAt: "referred", .targetStage: "charged",
    .basis: "closed", .minN: "50", .correction: "fdr", .adjust: "victim_sex", .reference: "North West", .overdispersion: "additive",
    .days: "180", .period: "2023-24", .baseline: "2022-23", .counting: "period",
]

/// The command line and `export` take the same options for every view, from one descriptor.
@Suite struct AnalysisDescriptorCommandTests {
    /// Every option, for every view: `attrition V` and `export --view V` both take it or both
    /// refuse it (exit 2, naming the option); where taken, export's tidy CSV equals the command's CSV.
    @Test(arguments: AnalysisView.allCases)
    func exportTakesExactlyTheOptionsOfTheViewsCommand(view: AnalysisView) throws {
        let descriptor = view.descriptor
        let command = descriptor.command.name
        let folder = TemporaryFolder()
        let measures = folder.write("measures.toml", MeasureSet.builtInText)
        let values = optionValues.merging([.measures: measures]) { $1 }
        // --stage stands for the stage cases stopped at or the stage to reach, whichever the view reads.
        let options = AnalysisParameter.allCases.filter { $0 != (descriptor.takes(.targetStage) ? .stoppedAt : .targetStage) }
        for parameter in options {
            let option = ["--\(parameter.option)", values[parameter]!]
            let own = try attrition([command] + option + ["--format", "csv"])
            let exported = try attrition(["export", "--view", view.rawValue] + option + ["--format", "csv", "--layout", "tidy", "--out", "-"])
            if descriptor.takes(parameter) {
                #expect(own.status == 0, "\(command) \(option): \(own.err)")
                #expect(exported.status == 0, "export --view \(view) \(option): \(exported.err)")
                #expect(own.out == exported.out, "export --view \(view) \(option) gives another CSV than \(command)")
                #expect(!own.out.isEmpty)
            } else {
                #expect(own.status == 2 && exported.status == 2, "\(option) on \(view): \(own.status), \(exported.status)")
                #expect(own.err.contains("--\(parameter.option) does not apply to the \(view.rawValue) view"))
                #expect(own.err == exported.err)
            }
        }
        // With no option at all, the defaults are the same too.
        let own = try attrition([command, "--format", "csv"])
        let exported = try attrition(["export", "--view", view.rawValue, "--format", "csv", "--layout", "tidy", "--out", "-"])
        #expect(own.status == 0 && own.out == exported.out, "\(view) defaults differ")
    }

    /// The scorecard's command and export take its measures, period, baseline and counting.
    @Test func exportOfTheScorecardTakesItsOwnOptions() throws {
        let arguments = ["--by", "bcu", "--period", "2023-24", "--baseline", "2022-23", "--count", "period"]
        let own = try attrition(["scorecard"] + arguments + ["--format", "csv"])
        let exported = try attrition(["export", "--view", "scorecard"] + arguments + ["--format", "csv", "--layout", "tidy", "--out", "-"])
        #expect(own.status == 0 && exported.status == 0)
        #expect(own.out == exported.out)
        #expect(own.out.contains("baseline_rate"))
        #expect(exported.err.contains("period: 2023-24") && exported.err.contains("baseline: 2022-23") && exported.err.contains("counting: period"))
    }

    /// `y` on every page gives a command line whose CSV holds the page's numbers exactly.
    @Test(arguments: [
        ("funnel", "am"), ("breakdown", "b]lla"), ("reasons", "b]r>"), ("timing", "]t"), ("compare", "]p>MAa"),
        ("heatmap", "H>a"), ("trend", "T>am"), ("survival", "]C>++"), ("scorecard", "K"),
    ])
    func theCopiedCommandLineReproducesThePage(page: String, keys: String) throws {
        var state = try AppState(table: sample.table, report: sample.report, display: Display(rows: 40, columns: 120))
        // A filter first (victims' sex, its first value), then the page's keys.
        state = press(state, [.character("f"), .down, .down, .down, .character("l"), .character(" "), .escape] + typed(keys))
        #expect(state.page == Page(view: AnalysisView(rawValue: page)!), "\(page): on \(state.page), \(state.message ?? "")")
        #expect(!state.filter.isEmpty, "\(page): a filter is set")
        let query = try #require(state.query)
        let shown: Analysis = switch query.view {
        case .funnel: .funnel(state.overall)
        case .breakdown: .funnel(state.breakdown)
        default: try #require(state.analysis)
        }
        let expected = DataTableFormat.csv.render(AnalysisTables.table(shown, query: query))
        let line = try #require(EquivalentCommand.text(state))
        let words = shellWords(line)
        #expect(words.first == "attrition")
        let run = try attrition(Array(words.dropFirst()) + ["--format", "csv", "--no-suppress"])
        #expect(run.status == 0, "\(line): \(run.err)")
        #expect(run.out == expected, "\(line) does not reproduce the \(page) page")
    }
}

/// The built-in sample, imported in the test process as the interface imports it.
private let sample: ImportResult = {
    try! CaseImporter(fileName: "london-vawg-sample.csv (built-in sample)")
        .importCases(from: CSVScanner(source: MemoryByteSource(SampleGenerator.bytes(.shipped))))
}()

/// The state after `keys`, each key's figures worked out before the next.
private func press(_ state: AppState, _ keys: [Key]) -> AppState { keys.reduce(state) { Update.settled(Update.apply($0, $1)) } }

/// Keys from a string, a character each.
private func typed(_ text: String) -> [Key] { text.map { Key.character($0) } }

/// A command line split into words as a POSIX shell splits the quoting `EquivalentCommand` writes.
private func shellWords(_ line: String) -> [String] {
    var words: [String] = [], word = "", quoted = false, inWord = false
    var characters = line.makeIterator()
    while let char = characters.next() {
        if quoted {
            if char == "'" { quoted = false } else { word.append(char) }
        } else if char == "'" {
            quoted = true
            inWord = true
        } else if char == "\\" {
            if let next = characters.next() { word.append(next) }
        } else if char == " " {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        } else {
            word.append(char)
            inWord = true
        }
    }
    if inWord { words.append(word) }
    return words
}

/// A mistyped command is answered with the command meant, not taken for a file to open.
@Suite struct MistypedCommandTests {
    @Test func aMistypedCommandSuggestsTheOneMeant() throws {
        let run = try attrition(["sumary", "--by", "bcu"])
        #expect(run.status == 2)
        #expect(run.err == "attrition: no file or command 'sumary': did you mean attrition summary --by bcu?\n")
        #expect(try attrition(["cmpare"]).err.contains("did you mean attrition compare?"))
        // Nothing near: the word is taken for a file, as before.
        #expect(try attrition(["zzzzzzzz"]).err.contains("zzzzzzzz"))
    }

    @Test func nearestWordsAreFoundWithinTwoEdits() {
        #expect(NearestWord.distance("sumary", "summary") == 1)
        #expect(NearestWord.distance("summray", "summary") == 1)
        #expect(NearestWord.nearest("timng", in: ["timing", "trend", "reasons"]) == "timing")
        #expect(NearestWord.nearest("xyz", in: ["timing", "trend"]) == nil)
        #expect(NearestWord.isAbbreviation("breakdwn", of: "breakdown"))
        #expect(!NearestWord.isAbbreviation("brakedown", of: "breakdown"))
    }
}
