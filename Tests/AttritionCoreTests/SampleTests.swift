import AttritionCore
import Foundation
import Testing

@Suite struct SampleTests {
    @Test func shippedSampleIsRegeneratedBitForBit() throws {
        let shipped = try Data(contentsOf: repositoryRoot.appendingPathComponent("SampleData/\(SampleSpec.shippedFileName)"))
        let generated = Data(SampleGenerator.bytes(.shipped))
        #expect(generated.count == shipped.count)
        #expect(generated == shipped, "run `swift run attrition sample --out SampleData/\(SampleSpec.shippedFileName) --force` after changing the generator")
        #expect(shipped.count < 8_000_000)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() {
        let spec = SampleSpec(cases: 500, seed: 99)
        #expect(SampleGenerator.bytes(spec) == SampleGenerator.bytes(spec))
        #expect(SampleGenerator.bytes(spec) != SampleGenerator.bytes(SampleSpec(cases: 500, seed: 100)))
    }

    @Test func sampleImportsCleanlyAndLooksLikeTheRealThing() throws {
        let result = try importBytes(SampleGenerator.bytes(.shipped))
        #expect(result.report.rejected == 0)
        #expect(result.report.warnings.isEmpty)
        #expect((20_000...50_000).contains(result.report.accepted))
        let table = result.table
        #expect(table.dimension(named: "crime_type")?.labels == ["Domestic abuse", "Harassment", "Honour-based abuse", "Other sexual offences", "Rape", "Stalking"])
        #expect(table.dimension(named: "bcu")?.labels.count == 12)
        #expect(table.dimension(named: "borough")?.labels.count == 32)
        // Rape: few reach the CPS, fewer are convicted, and many recent cases are still open.
        let rape = try FunnelAnalysis.funnel(of: table, by: nil, filter: CaseFilter.parse(["crime_type=Rape"], in: table))
        let referredShare = rape.total.steps[0].step.rate!
        #expect(referredShare > 0.03 && referredShare < 0.09)
        #expect(Stage.allCases.reduce(0) { $0 + rape.total.counts.open(at: $1) } > 0)
        #expect(rape.total.counts.reached(.convicted) < rape.total.counts.reached(.charged))
    }

    @Test func plantedWithdrawalPatternStandsOut() throws {
        let table = try importBytes(SampleGenerator.bytes(.shipped)).table
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("bcu"),
                                               filter: CaseFilter.parse(["crime_type=Rape"], in: table))
        let withdrawn = PoliceOutcome(code: 16)!
        func withdrawalShare(_ counts: StageCounts) -> Double {
            let reasons = counts.dropOffReasons(at: .reported)
            let total = reasons.reduce(0) { $0 + $1.count }
            return Double(reasons.first { $0.outcome == .police(withdrawn) }?.count ?? 0) / Double(total)
        }
        let northEast = try #require(funnel.groups.first { $0.name == "North East" })
        let others = funnel.groups.filter { $0.name != "North East" }
        let otherShares = others.map { withdrawalShare($0.counts) }
        #expect(withdrawalShare(northEast.counts) > otherShares.max()! + 0.1)
    }
}
