import AttritionCore
import AttritionTerminal

/// The `:` command palette while it is open: the text typed and the highlighted candidate.
public struct Palette: Equatable, Sendable {
    /// What has been typed after `:`.
    public var text = ""
    /// Index of the highlighted candidate.
    public var choice = 0

    /// An empty palette.
    public init() {}
}

/// One thing the palette can do: a name, the argument it takes, the key that does the same, and how.
struct PaletteCommand {
    /// The word typed (`breakdown`, `filter`, …).
    let name: String
    /// What the argument is, for the list (`DIM`, `DIM=VALUE`); nil when it takes none.
    let argument: String?
    /// The key that does the same, shown beside it.
    let key: String
    /// What it does, in a few words.
    let summary: String
    /// Whether it can run without its argument.
    var argumentOptional = false
    /// Whether its argument may be anything typed (a number), not only one of `values`.
    var freeArgument = false
    /// The values the argument can take in `state`, for completion.
    var values: (AppState) -> [String] = { _ in [] }
    /// Carries it out.
    let run: (inout AppState, String?) throws -> Void
}

/// A candidate the palette lists for the text typed: a command, or a command with its argument.
struct PaletteCandidate: Equatable {
    /// The text it completes to.
    let completion: String
    /// The line shown for it.
    let label: String
    /// Whether Enter runs it (false while an argument is still wanted).
    let runnable: Bool
}

/// Every action, view, dimension and value by name, with completion: `:breakdown bcu`,
/// `:filter crime_type=Rape`, `:export xlsx`, `:sort convicted`.
enum CommandPalette {
    /// The palette's commands.
    static var commands: [PaletteCommand] {
        let dimensions = { (state: AppState) in state.table.dimensions.map(\.name) }
        let stages = { (state: AppState) in state.overall.total.steps.map(\.to.name) }
        return AnalysisView.allCases.map { viewCommand($0, dimensions: dimensions) } + [
            PaletteCommand(name: "filter", argument: "DIM=VALUE", key: "f", summary: "keep (or stop keeping) cases with this value",
                           values: { state in state.table.dimensions.flatMap { column in column.labels.map { "\(column.name)=\($0)" } } }) {
                state, value in
                guard let value, let equals = value.firstIndex(of: "=") else { throw QueryError.notAnswerable("give DIM=VALUE, e.g. crime_type=Rape") }
                let dimension = try state.table.requireDimension(String(value[..<equals]))
                let wanted = String(value[value.index(after: equals)...])
                guard let code = dimension.code(ofLabel: wanted) else {
                    throw QueryError.unknownValue(wanted, dimension: dimension.name, known: dimension.labels)
                }
                state.apply(filter: state.filter.toggling(dimension.labels[code], of: dimension.name))
                state.message = "Filters: \(state.filter.summary) (u to undo)"
            },
            PaletteCommand(name: "clear", argument: nil, key: "c", summary: "clear all filters") { state, _ in state.apply(filter: CaseFilter()) },
            PaletteCommand(name: "undo", argument: nil, key: "u", summary: "undo the last filter change") { state, _ in
                state.stepFilterHistory(redo: false)
            },
            PaletteCommand(name: "redo", argument: nil, key: "U", summary: "redo the filter change undone") { state, _ in
                state.stepFilterHistory(redo: true)
            },
            PaletteCommand(name: "sort", argument: "COLUMN", key: "s", summary: "sort the breakdown, largest first",
                           values: { ["name", "reported"] + stages($0) }) { state, value in
                let columns = ["name", "reported"] + state.breakdown.total.steps.map(\.to.name)
                guard let value, let column = columns.firstIndex(of: value.lowercased()) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "column", known: columns)
                }
                if state.page != .breakdown { try CommandPalette.run("breakdown", &state) }
                state.sort = SortOrder(column: column, descending: column != 0)
                state.columnCursor = column
                state.groupCursor = 0
            },
            PaletteCommand(name: "rates", argument: "step|reported", key: "%", summary: "stage columns: step rate or rate of reported",
                           values: { _ in ["step", "reported"] }) { state, value in
                guard let value, ["step", "reported"].contains(value) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "rates", known: ["step", "reported"])
                }
                state.rateOfReported = value == "reported"
            },
            PaletteCommand(name: "open", argument: nil, key: "o", summary: "show or hide each breakdown cell's open share") { state, _ in
                state.showOpenShare.toggle()
            },
            PaletteCommand(name: "counts", argument: nil, key: "#", summary: "heatmap cells as counts n/N, or as rates") { state, _ in
                state.showCounts.toggle()
            },
            PaletteCommand(name: "step", argument: "STAGE", key: "< >", summary: "the step the reviewer's pages show, by the stage it leads to",
                           values: stages) { state, value in
                let names = state.overall.total.steps.map(\.to.name)
                guard let value, let index = names.firstIndex(of: value.lowercased()) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "step", known: names)
                }
                state.stepCursor = index
            },
            PaletteCommand(name: "reference", argument: "GROUP|rest", key: "R", summary: "the group disparity ratios are against",
                           values: { state in state.breakdown.groups.map(\.name) + ["rest"] }) { state, value in
                guard let value else { return }
                if value == "rest" {
                    state.referenceGroup = nil
                } else {
                    guard let group = state.breakdown.groups.first(where: { $0.name.lowercased() == value.lowercased() }) else {
                        throw QueryError.unknownValue(value, dimension: state.dimension, known: state.breakdown.groups.map(\.name))
                    }
                    state.referenceGroup = group.name
                }
            },
            PaletteCommand(name: "basis", argument: "all|closed", key: "a", summary: "rates over all cases or closed cases",
                           values: { _ in RateBasis.allCases.map(\.rawValue) }) { state, value in
                guard let basis = value.flatMap(RateBasis.init(rawValue:)) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "basis", known: RateBasis.allCases.map(\.rawValue))
                }
                state.setBasis(basis)
            },
            PaletteCommand(name: "mature", argument: "MONTHS|off", key: "m", summary: "only cases reported that long ago", freeArgument: true,
                           values: { _ in AppState.maturitySteps.map(String.init) + ["off"] }) { state, value in
                guard let value, value == "off" || Int(value).map({ (0...Maturity.longest).contains($0) }) == true else {
                    throw QueryError.unknownValue(value ?? "", dimension: "maturity", known: AppState.maturitySteps.map(String.init) + ["off"])
                }
                state.setMaturity(Int(value))
            },
            PaletteCommand(name: "adjust", argument: "DIM|off", key: "A", summary: "adjust flags for case mix",
                           values: { dimensions($0) + ["off"] }) { state, value in
                try state.setAdjustment(value == "off" ? nil : value)
            },
            PaletteCommand(name: "correction", argument: "holm|fdr", key: "M", summary: "how flags allow for many groups",
                           values: { _ in MultipleComparison.allCases.map(\.rawValue) }) { state, value in
                guard let correction = value.flatMap(MultipleComparison.init(rawValue:)) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "correction", known: MultipleComparison.allCases.map(\.rawValue))
                }
                state.setCorrection(correction)
            },
            PaletteCommand(name: "overdispersion", argument: "none|multiplicative|additive", key: "o", summary: "funnel-plot limits",
                           values: { _ in OverdispersionModel.allCases.map(\.rawValue) }) { state, value in
                guard let model = value.flatMap(OverdispersionModel.init(rawValue:)) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "overdispersion", known: OverdispersionModel.allCases.map(\.rawValue))
                }
                state.overdispersion = model
            },
            PaletteCommand(name: "days", argument: "D", key: "+ -", summary: "the day time to a stage is read at", freeArgument: true,
                           values: { _ in AppState.survivalDaySteps.map(String.init) }) { state, value in
                guard let days = value.flatMap({ Int($0) }), (0...36_500).contains(days) else {
                    throw QueryError.notAnswerable("give a number of days from 0 to 36,500")
                }
                state.survivalDays = days
            },
            PaletteCommand(name: "export", argument: "csv|md|json|xlsx|svg|pack", key: "e", summary: "export the table on screen, or the board pack",
                           values: { _ in ExportFormat.allCases.map(\.rawValue) + ["pack"] }) { state, value in
                guard let query = state.query else { throw QueryError.notAnswerable("nothing to export on this page") }
                let pack = value == "pack"
                guard let format = pack ? .xlsx : value.flatMap(ExportFormat.init(rawValue:)) else {
                    throw QueryError.unknownValue(value ?? "", dimension: "format", known: ExportFormat.allCases.map(\.rawValue) + ["pack"])
                }
                if format == .svg, let refusal = SVGChart.refusal(for: query.view) { throw QueryError.notAnswerable(refusal) }
                var prompt = ExportPrompt()
                prompt.format = format
                prompt.pack = pack
                prompt.path = AppState.suggestedName(query, format, pack: pack)
                prompt.step = .path
                state.exportPrompt = prompt
            },
            PaletteCommand(name: "command", argument: nil, key: "y", summary: "the command line for this view, copied") { state, _ in
                Update.copyCommand(&state)
            },
            PaletteCommand(name: "import", argument: nil, key: "i", summary: "import summary") { state, _ in state.push(.importSummary) },
            PaletteCommand(name: "help", argument: nil, key: "?", summary: "this page's keys and marks") { state, _ in state.push(.help) },
            PaletteCommand(name: "quit", argument: nil, key: "Q", summary: "quit attrition") { state, _ in state.quitting = true },
        ]
    }

    /// The palette's command for `view`'s page, from its descriptor: the funnel goes back to the
    /// start page, the breakdown takes the dimension to break down by, the heatmap its column
    /// dimension, and every reviewer's page opens on the step the breakdown has highlighted.
    private static func viewCommand(_ view: AnalysisView, dimensions: @escaping (AppState) -> [String]) -> PaletteCommand {
        let page = view.descriptor.page
        let argument: AnalysisParameter? = view == .breakdown ? .dimension : view.descriptor.takes(.columns) ? .columns : nil
        return PaletteCommand(name: page.paletteName, argument: argument.map { _ in "DIM" },
                              key: page.paletteKeys, summary: page.summary, argumentOptional: true,
                              values: argument == nil ? { _ in [] } : dimensions) { state, value in
            switch view {
            case .funnel:
                while state.pages.count > 1 { state.back() }
            case .breakdown:
                if let value { state.choose(dimension: try state.table.requireDimension(value).name) }
                if state.page != .breakdown {
                    while state.pages.count > 1 { state.back() }
                    state.push(.breakdown)
                }
            default:
                if let value, argument == .columns { state.heatmapColumns = try state.table.requireDimension(value).name }
                try ReviewerKeys.open(&state, Page(view: view))
            }
        }
    }

    /// The candidates for `text`: commands whose name starts with it, or, after a command and a
    /// space, that command with each value containing what follows (most 200).
    static func candidates(_ text: String, in state: AppState) -> [PaletteCandidate] {
        let trimmed = text.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") else {
            let prefix = trimmed.lowercased()
            // Commands starting with the text first, then those it abbreviates or misspells (`breakdwn`).
            let starting = commands.filter { $0.name.hasPrefix(prefix) }
            let loose = prefix.isEmpty ? [] : commands.filter { command in
                !command.name.hasPrefix(prefix)
                    && (NearestWord.isAbbreviation(prefix, of: command.name) || NearestWord.isNear(prefix, command.name))
            }
            return (starting + loose).map { command in
                let label = [command.name, command.argument].compactMap { $0 }.joined(separator: " ")
                return PaletteCandidate(completion: command.name + (command.argument == nil ? "" : " "),
                                        label: "\(label.padding(toLength: 34, withPad: " ", startingAt: 0)) \(command.summary) [\(command.key)]",
                                        runnable: command.argument == nil || command.argumentOptional)
            }
        }
        let name = trimmed[..<space].lowercased()
        guard let command = commands.first(where: { $0.name == name }) else { return [] }
        let wanted = trimmed[trimmed.index(after: space)...].lowercased()
        let values = command.values(state)
        let matching = values.filter { $0.lowercased().hasPrefix(wanted) } + values.filter { !$0.lowercased().hasPrefix(wanted) && $0.lowercased().contains(wanted) }
        var candidates = matching.prefix(200).map { value in
            PaletteCandidate(completion: "\(command.name) \(value)", label: "\(command.name) \(value)", runnable: true)
        }
        // A value the list does not hold (a number of days, an age) can still be run as typed.
        if command.freeArgument, !wanted.isEmpty, !values.contains(where: { $0.lowercased() == wanted }) {
            candidates.append(PaletteCandidate(completion: "\(command.name) \(trimmed[trimmed.index(after: space)...])",
                                               label: "\(command.name) \(trimmed[trimmed.index(after: space)...])", runnable: true))
        }
        return candidates
    }

    /// Runs the palette line `line` (`breakdown bcu`) on `state`.
    static func run(_ line: String, _ state: inout AppState) throws {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let name = words.first?.lowercased(), let command = commands.first(where: { $0.name == name }) else {
            throw QueryError.notAnswerable("no command '\(DisplayText.sanitized(line))': type : and Tab to list them")
        }
        let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : nil
        if argument == nil, command.argument != nil, !command.argumentOptional {
            throw QueryError.notAnswerable("\(command.name) needs \(command.argument!): for example \(command.values(state).first.map { "\(command.name) \($0)" } ?? command.name)")
        }
        try command.run(&state, argument)
    }

    /// A key while the palette is open: typing filters, Tab completes, ↑↓ choose, Enter runs, Esc closes.
    static func key(_ state: inout AppState, _ key: Key) throws {
        guard var palette = state.palette else { return }
        let candidates = CommandPalette.candidates(palette.text, in: state)
        switch key {
        case .escape:
            state.palette = nil
            return
        case .up: palette.choice = max(0, palette.choice - 1)
        case .down: palette.choice = min(max(candidates.count - 1, 0), palette.choice + 1)
        case .tab:
            if candidates.indices.contains(palette.choice) {
                palette.text = candidates[palette.choice].completion
                palette.choice = 0
            }
        case .backspace:
            if palette.text.isEmpty { state.palette = nil; return }
            palette.text.removeLast()
            palette.choice = 0
        case .enter:
            let chosen = candidates.indices.contains(palette.choice) ? candidates[palette.choice] : nil
            if let chosen, !chosen.runnable {
                palette.text = chosen.completion
                palette.choice = 0
            } else {
                state.palette = nil
                try run(chosen?.completion ?? palette.text, &state)
                return
            }
        case let .character(char) where char.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
            palette.text.append(char)
            palette.choice = 0
        default:
            break
        }
        state.palette = palette
    }
}

extension Update {
    /// Shows the command line for the view on screen and asks the host to copy it.
    static func copyCommand(_ state: inout AppState) {
        guard let command = EquivalentCommand.text(state) else {
            state.message = "No view of the data on this page to give a command for"
            return
        }
        state.pendingCopy = command
        state.message = "Copied: \(DisplayText.sanitized(command))"
    }
}
