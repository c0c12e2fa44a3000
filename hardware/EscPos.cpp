#include "EscPos.h"

#include <QHash>

#include <algorithm>
#include <array>

namespace SafeTill {

namespace {

constexpr char ESC = 0x1B;
constexpr char GS = 0x1D;
constexpr char LF = 0x0A;

// PC858's upper half: the Unicode code point of each byte 0x80..0xFF (CP850, with U+20AC € in
// place of U+0131 ı at 0xD5).
constexpr std::array<char16_t, 128> pc858 = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF,
    0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0, 0x00A9, 0x2563, 0x2551, 0x2557,
    0x255D, 0x00A2, 0x00A5, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4, 0x00F0, 0x00D0, 0x00CA, 0x00CB,
    0x00C8, 0x20AC, 0x00CD, 0x00CE, 0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
    0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE, 0x00DE, 0x00DA, 0x00DB, 0x00D9,
    0x00FD, 0x00DD, 0x00AF, 0x00B4, 0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
    0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0};

const QHash<char16_t, char> &encodeTable()
{
    static const QHash<char16_t, char> table = [] {
        QHash<char16_t, char> built;
        for (int i = 0; i < int(pc858.size()); ++i)
            built.insert(pc858[i], char(0x80 + i));
        // Look-alikes for what PC858 lacks, and a plain space for the no-break spaces that
        // QLocale puts between an amount and its currency ("12,34 €").
        built.insert(u'\u00A0', ' ');
        built.insert(u'\u202F', ' ');
        built.insert(u'\u2009', ' ');
        built.insert(u'\u2212', '-'); // minus
        built.insert(u'\u2010', '-');
        built.insert(u'\u2011', '-');
        built.insert(u'\u2013', '-');
        built.insert(u'\u2014', '-');
        built.insert(u'\u2018', '\'');
        built.insert(u'\u2019', '\'');
        built.insert(u'\u201A', ',');
        built.insert(u'\u201C', '"');
        built.insert(u'\u201D', '"');
        built.insert(u'\u201E', '"');
        built.insert(u'\u2022', char(0xFA)); // bullet -> middle dot
        return built;
    }();
    return table;
}

} // namespace

QByteArray EscPos::encode(const QString &text)
{
    QByteArray out;
    out.reserve(text.size());
    const QHash<char16_t, char> &table = encodeTable();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c == u'\n' || (c >= 0x20 && c < 0x7F)) {
            out.append(char(c));
        } else if (c < 0x20 || c == 0x7F) {
            continue; // no control characters from text
        } else if (c == u'\u2026') {
            out.append("...");
        } else if (const auto found = table.constFind(c); found != table.cend()) {
            out.append(*found);
        } else {
            if (text.at(i).isHighSurrogate() && i + 1 < text.size())
                ++i; // one '?' for a character outside the BMP
            out.append('?');
        }
    }
    return out;
}

QString EscPos::decode(const QByteArray &bytes)
{
    QString text;
    text.reserve(bytes.size());
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        text += byte < 0x80 ? QChar(char16_t(byte)) : QChar(pc858[byte - 0x80]);
    }
    return text;
}

int EscPos::width(const QString &text)
{
    return int(encode(text).size());
}

EscPos &EscPos::init()
{
    m_bytes.append(ESC).append('@');
    m_bytes.append(ESC).append('t').append(char(codePage));
    return *this;
}

EscPos &EscPos::text(const QString &text)
{
    m_bytes.append(encode(text));
    return *this;
}

EscPos &EscPos::line(const QString &text)
{
    m_bytes.append(encode(text)).append(LF);
    return *this;
}

EscPos &EscPos::bold(bool on)
{
    m_bytes.append(ESC).append('E').append(char(on ? 1 : 0));
    return *this;
}

EscPos &EscPos::doubleSize(bool on)
{
    m_bytes.append(GS).append('!').append(char(on ? 0x11 : 0x00));
    return *this;
}

EscPos &EscPos::align(Align align)
{
    m_bytes.append(ESC).append('a').append(char(int(align)));
    return *this;
}

EscPos &EscPos::feed(int lines)
{
    m_bytes.append(ESC).append('d').append(char(std::clamp(lines, 0, 255)));
    return *this;
}

EscPos &EscPos::cut(Cut cut)
{
    m_bytes.append(GS).append('V').append(char(cut == Cut::Full ? 0 : 1));
    return *this;
}

EscPos &EscPos::kick(Drawer drawer, int onMs, int offMs)
{
    const auto steps = [](int ms) { return char(std::clamp(ms / 2, 1, 255)); };
    m_bytes.append(ESC)
        .append('p')
        .append(char(int(drawer)))
        .append(steps(onMs))
        .append(steps(offMs));
    return *this;
}

EscPos &EscPos::raw(const QByteArray &bytes)
{
    m_bytes.append(bytes);
    return *this;
}

} // namespace SafeTill
