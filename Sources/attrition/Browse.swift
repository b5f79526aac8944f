import ArgumentParser
import AttritionCore
import AttritionInterface
import AttritionTerminal
import Foundation

/// `attrition [browse] [FILE]`: the interactive interface (the default command).
struct Browse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore the attrition funnel interactively (the default; opens the built-in sample without a file).",
        discussion: """
        Keys are listed on every page (press ? for all of them). When standard input or output is \
        not a terminal, the overall funnel is printed instead.
        """
    )

    @Argument(help: "The case-journey CSV file (the built-in London sample when omitted).")
    var file: String?

    @Flag(help: "Do not take mouse clicks (leaves the terminal's own selection working).")
    var noMouse = false

    @Flag(help: "Draw with plain ASCII instead of block and box characters.")
    var ascii = false

    @Flag(help: "No colour (NO_COLOR in the environment does the same).")
    var noColour = false

    @OptionGroup var reading: ReadOptions

    func run() throws {
        try reportingFailures {
            let result = try loadCases(path: file, reading: reading)
            guard isatty(0) == 1, isatty(1) == 1 else {
                FileHandle.standardError.write(Data("attrition: not a terminal, so printing the funnel; run it in a terminal to explore\n".utf8))
                writeImportSummary(result.report)
                let funnel = try AnalysisQuery(view: .breakdown, dimension: BuiltInDimension.crimeType.rawValue).funnel(of: result.table)
                FileHandle.standardOutput.write(Data(SummaryFormat.table.render(funnel, filter: CaseFilter()).utf8))
                return
            }
            try explore(result)
        }
    }

    /// Runs the interface until the user quits. The screen is ended on every way out; fatal
    /// signals restore the terminal through the handlers NcursesScreen installs.
    private func explore(_ result: ImportResult) throws {
        // Settings that cannot be used are named with their line, and the defaults used instead.
        let settingsPath = Settings.path()
        var settingsProblem: String?
        let settings: Settings
        do {
            settings = try Settings.load(path: settingsPath)
        } catch {
            settings = Settings()
            settingsProblem = "\(error); defaults used"
        }
        let colour = !noColour && settings.colour
        let screen = NcursesScreen(mouse: !noMouse && settings.mouse, colour: colour)
        defer { screen.end() }
        let unicode = !ascii && !settings.ascii && Browse.localeIsUTF8
        var state = try AppState(table: result.table, report: result.report,
                                 display: Display(rows: screen.size.rows, columns: screen.size.columns,
                                                  ascii: !unicode, colour: colour), settings: settings)
        if result.report.rejected > 0 {
            state.message = "\(result.report.rejected) rows were rejected and are not counted: press i to see them"
        }
        if let settingsProblem { state.message = settingsProblem }
        // The dimension last broken down by is kept for next time (the rest of the file as the user wrote it).
        defer {
            if state.dimension != (settings.dimension ?? BuiltInDimension.crimeType.rawValue), settingsProblem == nil {
                try? Settings.remember(dimension: state.dimension, path: settingsPath)
            }
        }
        // Figures are worked out on the worker's thread; while a request is out, the loop polls
        // for its answer between keys, and the screen stays as it was, with a busy mark.
        let worker = FigureWorker()
        defer { worker.stop() }
        var submitted = 0
        var settled = state
        func submitNewRequest() {
            if let request = state.pendingFigures, request.generation != submitted {
                worker.submit(request)
                submitted = request.generation
            }
        }
        while !state.quitting {
            submitNewRequest()
            if state.pendingFigures == nil { settled = state }
            Renderer.draw(state, settled: settled, on: screen)
            let key = screen.readKey(milliseconds: state.pendingFigures == nil ? -1 : Browse.pollMilliseconds)
            if state.pendingFigures != nil, let answer = worker.take() {
                state = Update.figuresArrived(state, answer)
            }
            guard let key else { continue }
            if key == .resize {
                state.display.rows = screen.size.rows
                state.display.columns = screen.size.columns
            }
            // Drill-down and export act on the figures shown, so those must be the settings' own.
            if state.pendingFigures != nil, Update.actsOnFigures(key) {
                submitNewRequest()
                state = Update.figuresArrived(state, worker.waitForAnswer())
            }
            state = Update.apply(state, key)
            if let request = state.pendingExport {
                state = Update.exportFinished(state, ExportEffect.perform(request, on: state))
            }
            if let text = state.pendingCopy {
                screen.copyToClipboard(text)
                state.pendingCopy = nil
            }
        }
    }

    /// How often the loop looks for figures while a request is out: under one frame at 60 Hz.
    static let pollMilliseconds: Int32 = 8

    /// Whether the locale's character set is UTF-8 (after `setlocale`, which NcursesScreen calls).
    static var localeIsUTF8: Bool {
        let environment = ProcessInfo.processInfo.environment
        let name = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? ""
        let lower = name.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }
}
