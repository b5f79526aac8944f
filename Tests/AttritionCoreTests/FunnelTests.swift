import AttritionCore
import Foundation
import Testing

/// A case as the test invents it, written to CSV and counted by the test itself.
private struct InventedCase {
    var id: Int
    var crime: String
    var borough: String
    var sex: String
    var referred: Bool
    var charged: Bool
    var prosecuted: Bool
    var convicted: Bool
    var police: Int?
    var court: String?
    var weight: Int

    var csv: String {
        func date(_ present: Bool, _ month: Int) -> String { present ? "2023-0\(month)-01" : "" }
        return [String(id), "2023-01-01", crime, "", borough, sex, date(referred, 2), date(charged, 3), date(prosecuted, 4),
                date(convicted, 5), police.map(String.init) ?? "", court ?? "", String(weight)].joined(separator: ",")
    }

    /// Contract section 2, read literally.
    func reached(_ stage: Stage) -> Bool {
        let isConvicted = convicted || court == "convicted"
        let isProsecuted = prosecuted || court == "convicted" || court == "acquitted" || isConvicted
        let isCharged = charged || police == 1 || isProsecuted
        switch stage {
        case .reported: return true
        case .referred: return referred || isCharged
        case .charged: return isCharged
        case .prosecuted: return isProsecuted
        case .convicted: return isConvicted
        }
    }

    /// Contract section 3: open when no terminal outcome.
    var isOpen: Bool {
        if reached(.convicted) { return false }
        return !((police != nil && police != 1) || ["acquitted", "discontinued", "other"].contains(court ?? ""))
    }

    var furthest: Stage { Stage.allCases.last(where: reached)! }
}

private let header = "case_id,reported_date,crime_type,bcu,borough,victim_sex,referred_date,charged_date,prosecuted_date,convicted_date,police_outcome,court_outcome,count"

private func inventCases(count: Int, seed: UInt64) -> [InventedCase] {
    var rng = SampleRandom(seed: seed)
    let crimes = ["Rape", "Stalking", "Domestic abuse"], boroughs = ["Camden", "Hackney", "Islington", "Croydon", "Leeds"]
    let sexes = ["Female", "Male", ""], courts: [String?] = [nil, nil, "convicted", "acquitted", "discontinued", "other"]
    return (0..<count).map { id in
        InventedCase(id: id, crime: crimes[rng.below(3)], borough: boroughs[rng.below(5)], sex: sexes[rng.below(3)],
                     referred: rng.below(2) == 0, charged: rng.below(3) == 0, prosecuted: rng.below(5) == 0,
                     convicted: rng.below(9) == 0, police: [nil, nil, 1, 14, 15, 16, 18, 21][rng.below(8)],
                     court: courts[rng.below(6)], weight: 1 + rng.below(3))
    }
}

@Suite struct FunnelTests {
    private let cases = inventCases(count: 3000, seed: 7)
    private var table: CaseTable {
        get throws { try importText(([header] + cases.map(\.csv)).joined(separator: "\n")).table }
    }

    private func bcuOf(_ c: InventedCase) -> String {
        ["Camden": "Central North", "Islington": "Central North", "Hackney": "Central East", "Croydon": "South"][c.borough] ?? "Unknown"
    }

    @Test func countsMatchAnIndependentTally() throws {
        let table = try table
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("bcu"))
        for group in funnel.groups {
            let members = cases.filter { bcuOf($0) == group.name }
            for stage in Stage.allCases {
                #expect(group.counts.reached(stage) == members.filter { $0.reached(stage) }.reduce(0) { $0 + $1.weight })
                #expect(group.counts.open(at: stage) == members.filter { $0.furthest == stage && $0.isOpen }.reduce(0) { $0 + $1.weight })
            }
        }
        #expect(funnel.groups.map(\.name) == ["Central East", "Central North", "South", "Unknown"])
        #expect(funnel.total.counts.reached(.reported) == cases.reduce(0) { $0 + $1.weight })
    }

    @Test func filtersOrWithinADimensionAndAndAcross() throws {
        let table = try table
        let filter = try CaseFilter.parse(["crime_type=rape", "crime_type=Stalking", "victim_sex=female", "borough=Camden"], in: table)
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("crime_type"), filter: filter)
        let kept = cases.filter { ["Rape", "Stalking"].contains($0.crime) && $0.sex == "Female" && $0.borough == "Camden" }
        for stage in Stage.allCases {
            #expect(funnel.total.counts.reached(stage) == kept.filter { $0.reached(stage) }.reduce(0) { $0 + $1.weight })
        }
        #expect(funnel.groups.map(\.name) == ["Rape", "Stalking"])
    }

    @Test func stepRatesAndTheirBasis() throws {
        let table = try table
        let all = try FunnelAnalysis.funnel(of: table, by: nil)
        let closed = try FunnelAnalysis.funnel(of: table, by: nil, basis: .closed)
        let weight = { (list: [InventedCase]) in list.reduce(0) { $0 + $1.weight } }
        for (index, pair) in zip(Stage.allCases, Stage.allCases.dropFirst()).enumerated() {
            let atFrom = cases.filter { $0.reached(pair.0) }, atTo = cases.filter { $0.reached(pair.1) }
            #expect(all.total.steps[index].step == Proportion(weight(atTo), of: weight(atFrom)))
            let openAtFrom = atFrom.filter { $0.furthest == pair.0 && $0.isOpen }
            #expect(closed.total.steps[index].step == Proportion(weight(atTo), of: weight(atFrom) - weight(openAtFrom)))
            #expect(all.total.steps[index].cumulative == Proportion(weight(atTo), of: weight(cases)))
        }
    }

    @Test func oneTallyGivesEveryBasisAndTheUngroupedFunnel() throws {
        let table = try table
        let bcu = try table.requireDimension("bcu"), crime = try table.requireDimension("crime_type")
        let filter = try CaseFilter.parse(["victim_sex=female"], in: table)
        let both = try FunnelAnalysis.funnels(of: table, by: bcu, filter: filter, bases: [.all, .closed], adjustFor: crime)
        for (funnel, basis) in zip(both, [RateBasis.all, .closed]) {
            let alone = try FunnelAnalysis.funnel(of: table, by: bcu, filter: filter, basis: basis, adjustFor: basis == .all ? crime : nil)
            #expect(funnel.basis == basis)
            #expect(funnel.groups.map(\.name) == alone.groups.map(\.name))
            #expect(funnel.groups.map(\.steps) == alone.groups.map(\.steps))
            #expect(funnel.total.steps == alone.total.steps)
            #expect(funnel.comparisons == alone.comparisons)
            #expect(funnel.adjustedFor == alone.adjustedFor)
        }
        // The breakdown's total is the funnel of the same cases with no grouping.
        let overall = try FunnelAnalysis.funnel(of: table, by: nil, filter: filter)
        let ungrouped = both[0].ungrouped
        #expect(ungrouped.dimension == nil)
        #expect(ungrouped.groups.map(\.name) == overall.groups.map(\.name))
        #expect(ungrouped.groups.map(\.steps) == overall.groups.map(\.steps))
        #expect(ungrouped.groups.map(\.counts.cells) == overall.groups.map(\.counts.cells))
        #expect(ungrouped.total.steps == overall.total.steps)
        #expect(ungrouped.comparisons == overall.comparisons)
        let female = cases.filter { $0.sex == "Female" }
        #expect(ungrouped.total.counts.reached(.charged) == female.filter { $0.reached(.charged) }.reduce(0) { $0 + $1.weight })
    }

    @Test func dropOffReasonsAreCounted() throws {
        let funnel = try FunnelAnalysis.funnel(of: try table, by: nil)
        let reasons = funnel.total.counts.dropOffReasons(at: .reported)
        let expected16 = cases.filter { $0.furthest == .reported && !$0.isOpen && $0.police == 16 && $0.court == nil }
        #expect(reasons.first { $0.outcome == .police(PoliceOutcome(code: 16)!) }?.count == expected16.reduce(0) { $0 + $1.weight })
        let sum = reasons.reduce(0) { $0 + $1.count }
        #expect(sum == funnel.total.counts.droppedOff(at: .reported))
    }

    @Test func unknownDimensionAndValueAreExplained() throws {
        let table = try table
        #expect(throws: QueryError.self) { try table.requireDimension("region") }
        do {
            _ = try CaseFilter.parse(["crime_type=Burglary"], in: table)
            Issue.record("expected an error")
        } catch let error as QueryError {
            #expect(error.description == "no crime_type is 'Burglary' in this file; its values are: Domestic abuse, Rape, Stalking")
        }
        #expect(throws: QueryError.malformedFilter("crime_type")) { try CaseFilter.parse(["crime_type"], in: table) }
    }

    @Test func missingStageColumnsAreLeftOutOfSteps() throws {
        let text = "case_id,reported_date,crime_type,bcu,charged_date\n1,2023-01-01,Rape,N,2023-02-01\n2,2023-01-01,Rape,N,\n"
        let funnel = try FunnelAnalysis.funnel(of: try importText(text).table, by: nil)
        #expect(funnel.stages == [.reported, .charged])
        #expect(funnel.total.steps.count == 1)
        #expect(funnel.total.steps[0].step == Proportion(1, of: 2))
    }
}
