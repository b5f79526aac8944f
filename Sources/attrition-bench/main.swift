// attrition-bench: measures import throughput, memory and re-aggregation speed on a large case
// file. Run it through bench/run, which also measures DuckDB on the same file.
import AttritionCore
import AttritionInterface
import AttritionTerminal
import Foundation

/// Command-line settings: `--file PATH` (required), `--runs N` (default 5), `--variant NAME`
/// (one import only, reporting memory under that name: for the wide and high-cardinality files).
struct BenchSettings {
    var file = ""
    var runs = 5
    var variant: String?
    /// A police.uk folder or archive to read instead of a case file.
    var policeUK: String?
    /// A folder made by `attrition sample --format events` (case file, event file, mapping) to read instead.
    var events: String?
    /// Where to save the imported cases as a snapshot, to time opening it.
    var snapshot: String?

    init(arguments: [String]) {
        var rest = arguments.dropFirst()[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--file": file = rest.popFirst() ?? ""
            case "--runs": runs = Int(rest.popFirst() ?? "") ?? runs
            case "--variant": variant = rest.popFirst()
            case "--police-uk": policeUK = rest.popFirst()
            case "--events": events = rest.popFirst()
            case "--snapshot": snapshot = rest.popFirst()
            default:
                FileHandle.standardError.write(Data("attrition-bench: unknown option \(flag)\n".utf8))
                exit(2)
            }
        }
        if file.isEmpty, policeUK == nil, events == nil {
            FileHandle.standardError.write(Data("usage: attrition-bench --file CASES.csv [--runs N] | --police-uk DIR|FILE.zip --variant NAME\n".utf8))
            exit(2)
        }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The 95th percentile (nearest rank).
func percentile95(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[max(0, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
}

/// Bytes of the street and outcome CSVs under a folder, or inside an archive once inflated.
func csvBytes(_ source: String) throws -> Int {
    let files = ZipReader.looksLikeZip(path: source) ? PoliceUKFiles.archive(try ZipReader(path: source)) : try PoliceUKFiles.folder(source)
    return Int(files.filter { $0.name.hasSuffix("-street.csv") || $0.name.hasSuffix("-outcomes.csv") }.reduce(0) { $0 + $1.size })
}

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

/// Reads a source `runs` times (with the funnel by crime type each time) and prints, under
/// `attrition.NAME.`: what was read, seconds, throughput over `bytes`, bytes per case held, peak
/// memory, and the funnel's counts at `stages` for bench/run to compare with DuckDB's.
func measureSource(name: String, runs: Int, bytes: () throws -> Double, counted: [(String, (ImportReport) -> Int)],
                   stages: [Stage], load: () throws -> ImportResult) throws {
    var times: [Double] = []
    var last: ImportResult?
    var peak = 0
    for run in 0..<runs {
        last = nil
        times.append(try seconds {
            last = try load()
            _ = try FunnelAnalysis.funnel(of: last!.table, by: last!.table.requireDimension("crime_type"))
        })
        if run == 0 { peak = peakResidentBytes() }
    }
    let result = last!
    let size = try bytes()
    let funnel = try FunnelAnalysis.funnel(of: result.table, by: result.table.requireDimension("crime_type"))
    for (label, count) in counted { print("attrition.\(name).\(label)=\(count(result.report))") }
    print("attrition.\(name).csv_mb=\(String(format: "%.1f", size / 1e6))")
    print("attrition.\(name).seconds_median=\(String(format: "%.3f", median(times)))")
    print("attrition.\(name).seconds_all=\(times.map { String(format: "%.3f", $0) }.joined(separator: " "))")
    print("attrition.\(name).mb_per_s_median=\(String(format: "%.1f", size / 1e6 / median(times)))")
    print("attrition.\(name).bytes_per_case_held=\(String(format: "%.1f", Double(result.table.footprint) / Double(max(result.table.rowCount, 1))))")
    print("attrition.\(name).peak_rss_mb=\(String(format: "%.1f", Double(peak) / 1e6))")
    let counts = funnel.groups.map { group in "\(group.name):" + stages.map { String(group.counts.reached($0)) }.joined(separator: "/") }
    print("attrition.\(name).counts=\(counts.joined(separator: ";"))")
}

let settings = BenchSettings(arguments: CommandLine.arguments)
if let folder = settings.events {
    // An event log: the case file and its event file read through their mapping.
    let paths = [folder + "/cases.csv", folder + "/events.csv"]
    // Sizes with links resolved, so a folder that shares the case file through a link counts its bytes.
    let sized = paths.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    try measureSource(name: settings.variant ?? "events", runs: settings.runs,
                      bytes: { sized.reduce(0.0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1))?[.size] as? NSNumber)!.doubleValue } },
                      counted: [("cases", \.accepted), ("events", { $0.events?.rows ?? 0 })], stages: Stage.allCases) {
        try CaseSource.detect(path: paths[0]).load(mapping: try Mapping.load(path: folder + "/attrition.toml"))
    }
    exit(0)
}
if let source = settings.policeUK {
    // police.uk: the folder or archive as downloaded.
    try measureSource(name: settings.variant ?? "police_uk", runs: settings.runs, bytes: { Double(try csvBytes(source)) },
                      counted: [("crimes", \.accepted), ("outcome_rows", { $0.sourceFiles?.eventRows ?? 0 })],
                      stages: [.reported, .charged, .prosecuted, .convicted]) {
        try CaseSource.detect(path: source).load()
    }
    exit(0)
}
if let variant = settings.variant {
    // Memory follows the cases kept, not the bytes read: one import, its bytes per case and peak.
    var imported: ImportResult?
    let elapsed = try seconds { imported = try CaseImporter(fileName: settings.file).importFile(atPath: settings.file) }
    let result = imported!
    print("attrition.\(variant).rows=\(result.table.rowCount)")
    print("attrition.\(variant).import_seconds=\(String(format: "%.3f", elapsed))")
    print("attrition.\(variant).bytes_per_case_held=\(String(format: "%.1f", Double(result.table.footprint) / Double(max(result.table.rowCount, 1))))")
    print("attrition.\(variant).peak_rss_mb=\(String(format: "%.1f", Double(peakResidentBytes()) / 1e6))")
    print("attrition.\(variant).columns_left_out=\(result.report.droppedColumns.joined(separator: ","))")
    exit(0)
}
let size = (try FileManager.default.attributesOfItem(atPath: settings.file)[.size] as? NSNumber)?.doubleValue ?? 0
var importTimes: [Double] = []
var table: CaseTable?
var lastReport: ImportReport?
var lastResult: ImportResult?
var peakAfterFirstImport = 0
for run in 0..<settings.runs {
    table = nil
    var result: ImportResult?
    importTimes.append(try seconds {
        result = try CaseImporter(fileName: settings.file).importFile(atPath: settings.file)
        _ = try FunnelAnalysis.funnel(of: result!.table, by: result!.table.requireDimension("bcu"))
    })
    table = result!.table
    lastReport = result!.report
    lastResult = result
    if run == 0 { peakAfterFirstImport = peakResidentBytes() }
}
let cases = table!

// Re-aggregation as the interface does it on a key press: a breakdown by one dimension under a
// filter. Each "press" switches dimension or filter.
let presses: [(String, [String])] = [
    ("bcu", []), ("crime_type", ["bcu=North East"]), ("victim_age_band", ["crime_type=Rape"]),
    ("reported_quarter", ["crime_type=Rape", "crime_type=Other sexual offences"]), ("borough", ["victim_disability=Yes"]),
    ("victim_relationship", ["crime_type=Domestic abuse", "repeat_victim=Yes"]),
]
var pressTimes: [Double] = []
for _ in 0..<10 {
    for (dimension, terms) in presses {
        let filter = try CaseFilter.parse(terms, in: cases)
        let column = try cases.requireDimension(dimension)
        pressTimes.append(try seconds { _ = try FunnelAnalysis.funnel(of: cases, by: column, filter: filter) })
    }
}

// The same through the interface, into an in-memory 120×40 screen. The response to a key is the
// update and a redraw (with the earlier figures and a busy mark when the key asks for new ones);
// the new figures follow when the request is worked out, timed here on this thread as the
// interface's figure worker does on its own.
let screen = MemoryScreen(rows: 40, columns: 120)
var state = try AppState(table: cases, report: lastReport!, display: Display(rows: 40, columns: 120))
let script: [Key] = [.character("b"), .character("]"), .character("f"), .tab, .down, .down, .down, .down, .character(" "),
                     .escape, .character("]"), .character("l"), .character("s"), .character("u"), .character("U"),
                     .character("c"), .character("["), .character("u")]
var uiTimes: [Double] = []
var figureTimes: [Double] = []
for _ in 0..<5 {
    for key in script {
        let settled = state
        uiTimes.append(seconds {
            state = Update.apply(state, key)
            Renderer.draw(state, settled: settled, on: screen)
        })
        guard state.pendingFigures != nil else { continue }
        figureTimes.append(seconds {
            state = Update.settled(state)
            Renderer.draw(state, on: screen)
        })
    }
    state = try AppState(table: cases, report: state.report, display: state.display)
}

// A snapshot of the same cases: saved once, then opened (mapped and checked) as every command would.
var snapshotReport: [(String, String)] = []
if let snapshot = settings.snapshot {
    try? FileManager.default.removeItem(atPath: snapshot)
    let saving = try seconds { try SnapshotFile.save(lastResult!, to: snapshot, overwrite: true, sources: []) }
    var openTimes: [Double] = []
    var opened: ImportResult?
    for _ in 0..<settings.runs { openTimes.append(try seconds { opened = try SnapshotFile.open(path: snapshot) }) }
    let openedTable = opened!.table
    var openedPresses: [Double] = []
    for (dimension, terms) in presses {
        let filter = try CaseFilter.parse(terms, in: openedTable)
        let column = try openedTable.requireDimension(dimension)
        openedPresses.append(try seconds { _ = try FunnelAnalysis.funnel(of: openedTable, by: column, filter: filter) })
    }
    let size = (try FileManager.default.attributesOfItem(atPath: snapshot)[.size] as? NSNumber)?.doubleValue ?? 0
    snapshotReport = [
        ("snapshot_mb", String(format: "%.1f", size / 1e6)),
        ("snapshot_save_seconds", String(format: "%.3f", saving)),
        ("snapshot_open_seconds_median", String(format: "%.3f", median(openTimes))),
        ("snapshot_keypress_ms_median", String(format: "%.2f", median(openedPresses) * 1000)),
    ]
}

let importMedian = median(importTimes)
let report: [(String, String)] = [
    ("file_mb", String(format: "%.1f", size / 1e6)),
    ("rows", String(cases.rowCount)),
    ("runs", String(settings.runs)),
    ("import_seconds_median", String(format: "%.3f", importMedian)),
    ("import_seconds_all", importTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")),
    ("import_mb_per_s_median", String(format: "%.1f", size / 1e6 / importMedian)),
    ("peak_rss_mb", String(format: "%.1f", Double(peakAfterFirstImport) / 1e6)),
    ("bytes_per_case_held", String(format: "%.1f", Double(cases.footprint) / Double(cases.rowCount))),
    ("keypress_ms_median", String(format: "%.2f", median(pressTimes) * 1000)),
    ("keypress_ms_p95", String(format: "%.2f", percentile95(pressTimes) * 1000)),
    ("keypress_ms_max", String(format: "%.2f", (pressTimes.max() ?? 0) * 1000)),
    ("ui_keypress_ms_median", String(format: "%.2f", median(uiTimes) * 1000)),
    ("ui_keypress_ms_max", String(format: "%.2f", (uiTimes.max() ?? 0) * 1000)),
    ("ui_figures_ms_median", String(format: "%.2f", median(figureTimes) * 1000)),
    ("ui_figures_ms_p95", String(format: "%.2f", percentile95(figureTimes) * 1000)),
] + snapshotReport
for (key, value) in report { print("attrition.\(key)=\(value)") }
