import AttritionCore
import Foundation
import Testing

/// The performance framework's measures, statuses and baseline changes against counts worked out
/// here and Newcombe's published values.
@Suite struct ScorecardTests {
    @Test func newcombeMatchesThePublishedExamples() throws {
        // Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10.
        let published: [((Int, Int, Int, Int), Double, Double)] = [
            ((56, 70, 48, 80), 0.0524, 0.3339), ((9, 10, 3, 10), 0.1705, 0.8090), ((5, 56, 0, 29), -0.0381, 0.1926),
        ]
        for ((x1, n1, x2, n2), low, high) in published {
            let interval = try #require(Statistics.newcombeDifference(Proportion(x1, of: n1), Proportion(x2, of: n2)))
            #expect(abs(interval.lowerBound - low) < 5e-5 && abs(interval.upperBound - high) < 5e-5, "\(x1)/\(n1) − \(x2)/\(n2)")
        }
    }

    @Test func statusRespectsTheIntervalAtTheBoundaries() {
        #expect(ScorecardAnalysis.judge(0.30...0.40, against: 0.30, .atLeast) == .met)
        #expect(ScorecardAnalysis.judge(0.20...0.30, against: 0.30, .atLeast) == .uncertain)
        #expect(ScorecardAnalysis.judge(0.20...0.2999, against: 0.30, .atLeast) == .notMet)
        #expect(ScorecardAnalysis.judge(0.20...0.32, against: 0.32, .atMost) == .met)
        #expect(ScorecardAnalysis.judge(0.32...0.40, against: 0.32, .atMost) == .uncertain)
        #expect(ScorecardAnalysis.judge(0.3201...0.40, against: 0.32, .atMost) == .notMet)
    }

    @Test func builtInMeasuresAgainstCountsWorkedOutHere() throws {
        let result = try importBytes(SampleGenerator.bytes(SampleSpec(cases: 6000, seed: 11)))
        let table = result.table
        let card = try ScorecardAnalysis.scorecard(of: table, by: table.requireDimension("bcu"), measures: .builtIn)
        let crimes = try table.requireDimension("crime_type"), bcus = try table.requireDimension("bcu")
        // Independently: every row's outcome and furthest stage, by crime type and BCU.
        func count(_ crime: String, _ bcu: String?, _ test: (Int) -> Bool) -> Int {
            (0..<table.rowCount).filter { row in
                crimes.labels[Int(crimes.codes[row])] == crime && (bcu == nil || bcus.labels[Int(bcus.codes[row])] == bcu) && test(row)
            }.reduce(0) { $0 + Int(table.weights[$1]) }
        }
        func code(_ row: Int) -> Int? {
            if case .police(let outcome) = table.outcome(ofRow: row) { return outcome.code }
            return nil
        }
        let charged = { (row: Int) in Int(table.furthestStages[row]) >= Stage.charged.rawValue }
        for (measure, cells) in card.measures {
            #expect(!cells.isEmpty, "\(measure.id)")
            for cell in cells {
                let bcu = cell.name == "Total" ? nil : cell.name
                let (numerator, denominator): (Int, Int)
                switch measure.id {
                case "detection_rate":
                    numerator = count(cell.crimeType, bcu) { charged($0) || [2, 3, 4, 6, 7, 8].contains(code($0) ?? 0) }
                    denominator = count(cell.crimeType, bcu) { _ in true }
                default:
                    let wanted = Int(measure.id.split(separator: "_")[1])!
                    numerator = count(cell.crimeType, bcu) { code($0) == wanted }
                    denominator = count(cell.crimeType, bcu) { charged($0) || code($0) != nil }
                }
                #expect(cell.proportion == Proportion(numerator, of: denominator), "\(measure.id) \(cell.crimeType) \(cell.name)")
                if case .rate(let target, let direction)? = cell.target, let interval = cell.proportion.wilson95 {
                    #expect(cell.status == ScorecardAnalysis.judge(interval, against: target, direction))
                }
            }
        }
        // Outcome 15's baseline target has no status without a baseline period.
        #expect(card.measures[2].cells.allSatisfy { $0.status == nil })
    }

    @Test func periodCountingUsesOutcomeDatesAndABaselineGivesTheChange() throws {
        let header = "case_id,reported_date,crime_type,bcu,charged_date,police_outcome,outcome_date"
        let rows = [
            "A,2022-03-01,Rape,North,2022-05-01,1,",     // charged in 2022-23, reported in 2021-22
            "B,2022-03-15,Rape,North,,16,2022-04-10",     // outcome 16 recorded in 2022-23
            "C,2022-06-01,Rape,North,,16,2022-07-01",     // outcome 16 in 2022-23
            "D,2022-06-01,Rape,North,,15,2023-05-01",     // outcome 15 in 2023-24
            "E,2022-02-01,Rape,North,,14,2022-03-01",     // outcome 14 in 2021-22
            "F,2022-02-01,Rape,North,,16,",               // no outcome date: cannot be placed
        ]
        let table = try importText(([header] + rows).joined(separator: "\n")).table
        let year = ReportingPeriod("2022-23")
        #expect(year?.days == DayNumber(year: 2022, month: 4, day: 1)!.days...DayNumber(year: 2023, month: 3, day: 31)!.days)
        let card = try ScorecardAnalysis.scorecard(of: table, by: table.requireDimension("bcu"), measures: .builtIn, counting: .period,
                                                   period: year, baseline: ReportingPeriod("2021-22"))
        let share16 = try #require(card.measures.first { $0.measure.id == "outcome_16_share" }?.cells.first { $0.name == "Total" })
        // 2022-23: outcomes recorded A (charge), B, C → 16s: B, C.
        #expect(share16.proportion == Proportion(2, of: 3))
        #expect(share16.baseline == Proportion(0, of: 1))
        #expect(card.undated == 1)
        let change = try #require(share16.change)
        #expect(abs(change.difference - 2.0 / 3.0) < 1e-12)
        #expect(change.interval == Statistics.newcombeDifference(Proportion(2, of: 3), Proportion(0, of: 1)))
        // Detection by period: charges in 2022-23 over cases reported in 2022-23 (C and D).
        let detection = try #require(card.measures.first { $0.measure.id == "detection_rate" }?.cells.first { $0.name == "Total" })
        #expect(detection.proportion == Proportion(1, of: 2))
        // By cohort: cases reported in 2022-23 and what happened to them.
        let cohort = try ScorecardAnalysis.scorecard(of: table, by: table.requireDimension("bcu"), measures: .builtIn, period: year)
        let cohort16 = try #require(cohort.measures.first { $0.measure.id == "outcome_16_share" }?.cells.first { $0.name == "Total" })
        #expect(cohort16.proportion == Proportion(1, of: 2))
    }

    @Test func aMeasuresFileIsReadAndItsMistakesNamed() throws {
        let folder = TemporaryFolder()
        let good = folder.file("measures.toml")
        try """
        source = "our own framework"
        [[measures]]
        id = "referral"
        name = "Referred to the CPS"
        crime_types = ["Rape"]
        numerator = { stages = ["referred"] }
        denominator = { all = true }
        targets = { "Rape" = { at_least = 0.05 } }
        """.write(toFile: good, atomically: true, encoding: .utf8)
        let set = try MeasureSet.load(path: good)
        #expect(set.source == "our own framework" && set.measures.map(\.id) == ["referral"])
        #expect(set.measures[0].targets["Rape"] == .rate(0.05, .atLeast))
        let bad = folder.file("bad.toml")
        try "[[measures]]\nid = \"x\"\nname = \"X\"\ncrime_types = [\"Rape\"]\nnumerator = { police_outcomes = [23] }\ndenominator = { all = true }\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: MeasuresError.self) { try MeasureSet.load(path: bad) }
        do { _ = try MeasureSet.load(path: bad) } catch let error as MeasuresError {
            #expect(error.line == 2 && error.reason == "measure x: police_outcomes are Home Office codes 1 to 22")
        }
        #expect(MeasureSet.builtIn.measures.map(\.id) == ["detection_rate", "outcome_14_share", "outcome_15_share", "outcome_16_share"])
    }
}
