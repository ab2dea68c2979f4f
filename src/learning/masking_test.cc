#include "hitlgate/learning/masking.h"

#include <gtest/gtest.h>

namespace hitlgate::learning {
namespace {

std::string MaskDefault(std::string_view text, MaskCounts* counts = nullptr) {
  auto masker = PersonalDataMasker::Create({});
  EXPECT_TRUE(masker.has_value());
  return (*masker)->Mask(text, counts);
}

TEST(LuhnTest, AcceptsKnownTestCardsAndRejectsOthers) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("5500005555555559"));
  EXPECT_TRUE(LuhnValid("378282246310005"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid("12a4"));
  EXPECT_FALSE(LuhnValid(""));
}

TEST(IbanTest, AcceptsValidIbansAndRejectsChangedCheckDigits) {
  EXPECT_TRUE(IbanValid("DE89370400440532013000"));
  EXPECT_TRUE(IbanValid("GB82WEST12345698765432"));
  EXPECT_TRUE(IbanValid("gb82west12345698765432"));
  EXPECT_FALSE(IbanValid("DE88370400440532013000"));
  EXPECT_FALSE(IbanValid("DE8937040044"));  // too short
  EXPECT_FALSE(IbanValid("1289370400440532013000"));
}

TEST(MaskerTest, EmailAddressesAreMasked) {
  MaskCounts counts;
  EXPECT_EQ(MaskDefault("write to jane.doe+shop@example.co.uk today", &counts),
            "write to <EMAIL> today");
  EXPECT_EQ(counts.emails, 1);
}

TEST(MaskerTest, TextWithAnAtSignButNoAddressStays) {
  EXPECT_EQ(MaskDefault("meet @ 5pm, or ping @support"), "meet @ 5pm, or ping @support");
}

TEST(MaskerTest, LuhnValidCardNumbersAreMaskedWithSeparators) {
  MaskCounts counts;
  EXPECT_EQ(MaskDefault("card 4111 1111 1111 1111 expires", &counts), "card <CARD> expires");
  EXPECT_EQ(MaskDefault("card 5500-0055-5555-5559."), "card <CARD>.");
  EXPECT_EQ(counts.cards, 1);
}

TEST(MaskerTest, SixteenDigitNumberFailingLuhnStays) {
  MaskCounts counts;
  EXPECT_EQ(MaskDefault("order 4111111111111112 arrived", &counts), "order 4111111111111112 arrived");
  EXPECT_EQ(counts.total(), 0);
}

TEST(MaskerTest, ValidIbansAreMaskedInGroupsOrCompact) {
  MaskCounts counts;
  EXPECT_EQ(MaskDefault("IBAN DE89 3704 0044 0532 0130 00, thanks", &counts), "IBAN <IBAN>, thanks");
  EXPECT_EQ(MaskDefault("to GB82WEST12345698765432 please"), "to <IBAN> please");
  EXPECT_EQ(counts.ibans, 1);
}

TEST(MaskerTest, IbanFollowedByCapitalsIsStillFound) {
  EXPECT_EQ(MaskDefault("DE89 3704 0044 0532 0130 00 ASAP"), "<IBAN> ASAP");
}

TEST(MaskerTest, IbanShapedCodeWithWrongCheckDigitsStays) {
  EXPECT_EQ(MaskDefault("ref DE88 3704 0044 0532 0130 00"), "ref DE88 3704 0044 0532 0130 00");
}

TEST(MaskerTest, PhoneNumbersInCommonFormatsAreMasked) {
  EXPECT_EQ(MaskDefault("call +49 30 12345678 now"), "call <PHONE> now");
  EXPECT_EQ(MaskDefault("call (555) 123-4567"), "call <PHONE>");
  EXPECT_EQ(MaskDefault("or 555-123-4567."), "or <PHONE>.");
  EXPECT_EQ(MaskDefault("uk 0044 20 7946 0958"), "uk <PHONE>");
}

TEST(MaskerTest, OrderNumbersDatesAndAmountsAreNotPhones) {
  MaskCounts counts;
  EXPECT_EQ(MaskDefault("order 12345678 on 2024-05-01 for 1,234.56 EUR, v1.2.3", &counts),
            "order 12345678 on 2024-05-01 for 1,234.56 EUR, v1.2.3");
  EXPECT_EQ(MaskDefault("delivered 01.05.2024"), "delivered 01.05.2024");
  EXPECT_EQ(counts.total(), 0);
}

TEST(MaskerTest, CustomPatternsUseTheirLabel) {
  auto masker = PersonalDataMasker::Create({.patterns = {"CUSTOMER=\\bC-[0-9]{6}\\b", "secret\\w+"}});
  ASSERT_TRUE(masker.has_value()) << masker.error().ToString();
  MaskCounts counts;
  EXPECT_EQ((*masker)->Mask("customer C-123456 said secretword", &counts),
            "customer <CUSTOMER> said <REDACTED>");
  EXPECT_EQ(counts.custom, 2);
}

TEST(MaskerTest, BadCustomPatternIsAnErrorNamingIt) {
  auto masker = PersonalDataMasker::Create({.patterns = {"ID=([0-9"}});
  ASSERT_FALSE(masker.has_value());
  EXPECT_EQ(masker.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(masker.error().message().find("ID=([0-9"), std::string::npos);
}

TEST(MaskerTest, DisabledMaskersLeaveTheirDataAlone) {
  auto masker = PersonalDataMasker::Create({.emails = false, .phones = true});
  ASSERT_TRUE(masker.has_value());
  EXPECT_EQ((*masker)->Mask("a@b.io"), "a@b.io");
}

}  // namespace
}  // namespace hitlgate::learning
