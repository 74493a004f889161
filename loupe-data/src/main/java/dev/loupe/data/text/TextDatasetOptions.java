package dev.loupe.data.text;

/**
 * How to read a text data set file.
 *
 * @param textColumn  the column holding the text (default {@code text}; {@code --text-col})
 * @param labelColumn the column holding the true label (default {@code label}; {@code --label-col})
 * @param idColumn    the column holding a unique id; {@code null} means "the column {@code id} if there is one,
 *                    else the 1-based row number" ({@code --id-col})
 * @param format      the file format; {@code null} means "from the file name" ({@code --format})
 */
public record TextDatasetOptions(String textColumn, String labelColumn, String idColumn, TextFormat format) {
    public static final String DEFAULT_TEXT_COLUMN = "text";
    public static final String DEFAULT_LABEL_COLUMN = "label";
    public static final String DEFAULT_ID_COLUMN = "id";

    public TextDatasetOptions {
        if (textColumn == null || textColumn.isBlank()) {
            textColumn = DEFAULT_TEXT_COLUMN;
        }
        if (labelColumn == null || labelColumn.isBlank()) {
            labelColumn = DEFAULT_LABEL_COLUMN;
        }
        if (idColumn != null && idColumn.isBlank()) {
            idColumn = null;
        }
        if (textColumn.equals(labelColumn)) {
            throw dev.loupe.api.InvalidInputException.parameter("--label-col",
                    "different from the text column '" + textColumn + "'", "'" + labelColumn + "'");
        }
    }

    /** {@code text}, {@code label}, id auto, format from the file name. */
    public static TextDatasetOptions defaults() {
        return new TextDatasetOptions(null, null, null, null);
    }

    public TextDatasetOptions withTextColumn(String c) {
        return new TextDatasetOptions(c, labelColumn, idColumn, format);
    }

    public TextDatasetOptions withLabelColumn(String c) {
        return new TextDatasetOptions(textColumn, c, idColumn, format);
    }

    public TextDatasetOptions withIdColumn(String c) {
        return new TextDatasetOptions(textColumn, labelColumn, c, format);
    }

    public TextDatasetOptions withFormat(TextFormat f) {
        return new TextDatasetOptions(textColumn, labelColumn, idColumn, f);
    }
}
