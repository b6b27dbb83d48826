using System.Text.Json.Nodes;
using LabelBench.Core.Privacy;
using LabelBench.Core.Text;

namespace LabelBench.Core.Tests.Privacy;

public class TextMaskerTests
{
    [Theory]
    [InlineData("Write to ann.lee+work@example.co.uk today.", "Write to [email] today.")]
    [InlineData("CONTACT: J_DOE@MAIL.EXAMPLE.COM", "CONTACT: [email]")]
    [InlineData("two: a@b.de, c.d@e-f.org.", "two: [email], [email].")]
    public void Email_addresses_are_masked(string text, string expected) => Assert.Equal(expected, TextMasker.Mask(text));

    [Theory]
    [InlineData("Call +49 30 1234567 now", "Call [phone] now")]
    [InlineData("Call +1 (555) 123-4567.", "Call [phone].")]
    [InlineData("tel 030 12345678", "tel [phone]")]
    [InlineData("mobile 0171-5551234", "mobile [phone]")]
    [InlineData("ring 0044 20 7946 0958", "ring [phone]")]
    [InlineData("(555) 123 4567 is the desk", "[phone] is the desk")]
    public void Phone_numbers_are_masked(string text, string expected) => Assert.Equal(expected, TextMasker.Mask(text));

    [Theory]
    [InlineData("Order 12345 shipped")]
    [InlineData("On 2024-01-15 at 10:30")]
    [InlineData("Paid 1299.95 EUR")]
    [InlineData("Back in 1999, 3 people came")]
    [InlineData("Reference 31/12/2023")]
    [InlineData("Version 10.0.401 is out")]
    public void Ordinary_numbers_dates_and_amounts_stay(string text) => Assert.Equal(text, TextMasker.Mask(text));

    [Theory]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN [iban] please")]
    [InlineData("to GB82WEST12345698765432.", "to [iban].")]
    [InlineData("DE89 3704 0044 0532 0130 00 AB", "[iban] AB")]
    public void Ibans_with_valid_check_digits_are_masked(string text, string expected) => Assert.Equal(expected, TextMasker.Mask(text));

    [Fact]
    public void An_iban_lookalike_with_wrong_check_digits_stays()
    {
        Assert.Equal("code DE00 3704 0044 0532 0130 00", TextMasker.Mask("code DE00 3704 0044 0532 0130 00"));
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1111 exp", "card [card] exp")]
    [InlineData("card 5500-0000-0000-0004", "card [card]")]
    [InlineData("amex 378282246310005", "amex [card]")]
    public void Card_numbers_passing_luhn_are_masked(string text, string expected) => Assert.Equal(expected, TextMasker.Mask(text));

    [Fact]
    public void A_long_number_failing_luhn_is_not_a_card()
    {
        Assert.DoesNotContain("[card]", TextMasker.Mask("tracking 4111 1111 1111 1112"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ip_addresses_are_masked_but_not_version_like_numbers_over_255()
    {
        Assert.Equal("from [ip] at noon", TextMasker.Mask("from 192.168.10.200 at noon"));
        Assert.Equal("build 300.1.2.3", TextMasker.Mask("build 300.1.2.3"));
    }

    [Theory]
    [InlineData("Mail ann@example.org or call +49 30 1234567.")]
    [InlineData("Pay DE89370400440532013000 with card 4111111111111111 😀 from 10.0.0.1")]
    [InlineData("ab@cd.io")]
    public void Length_keeping_masks_keep_every_offset(string text)
    {
        var masked = TextMasker.MaskKeepingLength(text);

        Assert.Equal(CodePoints.Length(text), CodePoints.Length(masked));
        Assert.DoesNotContain("@", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_keeping_mask_starts_with_the_token()
    {
        Assert.Equal("Mail [email]••••••••••••.", TextMasker.MaskKeepingLength("Mail ann.lee@example.org."));
    }

    [Fact]
    public void Data_masks_strings_at_any_depth_and_keeps_other_values()
    {
        var data = JsonNode.Parse("""{"text": "call +49 30 1234567", "meta": {"by": "x@y.org", "n": 5}, "list": ["a@b.de", true], "span": "me@x.org"}""")!.AsObject();

        var masked = TextMasker.MaskData(data, new HashSet<string> { "span" });

        Assert.Equal("""{"text":"call [phone]","meta":{"by":"[email]","n":5},"list":["[email]",true],"span":"[email]•"}""", masked.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("x@y.org", data["meta"]!["by"]!.GetValue<string>());
    }
}
