using AceStep.Engine.Text.Tokenization;

namespace AceStep.Engine.Text.Tests.Tokenization;

public sealed class TokenizerFileErrorTests
{
    [Fact]
    public void A_directory_without_tokenizer_files_names_what_it_looked_for()
    {
        using var files = new TinyQwenTokenizer(withTokenizerJson: false, withLegacyFiles: false);
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Equal(files.Directory, error.FilePath);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_is_reported()
    {
        var missing = Path.Combine(Path.GetTempPath(), "acestep-text-tests", "does-not-exist");
        var error = Assert.Throws<TokenizerFileException>(() => QwenTokenizer.Load(missing));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_tokenizer_json_names_the_file_and_says_it_is_not_json()
    {
        using var files = new TinyQwenTokenizer();
        var json = File.ReadAllText(files.PathOf("tokenizer.json"));
        files.Write("tokenizer.json", json[..(json.Length / 2)]);
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Equal(files.PathOf("tokenizer.json"), error.FilePath);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_of_unknown_tokens_names_merges_txt_and_the_merge()
    {
        using var files = new TinyQwenTokenizer(withTokenizerJson: false);
        File.AppendAllText(files.PathOf("merges.txt"), "zz qq\n");
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Equal(files.PathOf("merges.txt"), error.FilePath);
        Assert.Contains("zz qq", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vocab_json_without_merges_txt_names_the_missing_file()
    {
        using var files = new TinyQwenTokenizer(withTokenizerJson: false);
        File.Delete(files.PathOf("merges.txt"));
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Equal(files.PathOf("merges.txt"), error.FilePath);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_without_all_256_byte_tokens_is_rejected()
    {
        using var files = new TinyQwenTokenizer(withTokenizerJson: false);
        files.Write("vocab.json", "{\"a\": 0, \"b\": 1}");
        files.Write("merges.txt", "#version: 0.2\n");
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Equal(files.PathOf("vocab.json"), error.FilePath);
        Assert.Contains("byte-level", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tokenizer_json_with_another_pre_tokenizer_is_refused()
    {
        using var files = new TinyQwenTokenizer();
        var json = File.ReadAllText(files.PathOf("tokenizer.json"));
        files.Write("tokenizer.json", json.Replace("\"type\":\"Split\"", "\"type\":\"Whitespace\"", StringComparison.Ordinal));
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Contains("pre_tokenizer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pad_token_missing_from_the_vocabulary_is_reported()
    {
        using var files = new TinyQwenTokenizer(padToken: "<|nope|>");
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Contains("<|nope|>", error.Message, StringComparison.Ordinal);
    }
}
