#include "redaction/pii_detector.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "engine/core/check.h"
#include "engine/match/pattern_set.h"

#include "redaction/internal/validators.h"

namespace convaudit::redaction {
namespace {

using internal::digits_of;

// How a candidate span becomes a PiiSpan (or is dropped).
enum class Check {
  kEmail,
  kUrlCredentials,
  kCard,
  kSsn,
  kIban,
  kIpv4,
  kIpv6,
  kMac,
  kPhone,
  kSecretShape,    // a well-known token shape: accepted as matched
  kSecretKeyword,  // a value after key/secret/token/password: must look random
  kPassword,       // a value after "password:": accepted when not a plain word
  kPrivateKey,
  kDateOfBirth,
  kBech32,
  kBase58,
  kEthereum,
  kPassport,
  kDriverLicense,
  kPersonName,
  kIntroducedName,  // a name after "I'm"/"this is": not a team, product or feeling
  kAddress,
};

struct RuleSpec {
  PiiType type;
  Check check;
  const char* prefix;  // context words that must precede the value; nullptr for none
  const char* value;
};

// Month names (en, de, fr, es, it, nl) are only read after a birth word, so a loose word is safe.
constexpr const char* kDate =
    R"((?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|)"
    R"(\d{1,2}(?:st|nd|rd|th|er|º)?\.?\s+(?:(?i:de|of)\s+)?\p{L}+\.?,?\s+(?:(?i:de)\s+)?\d{4}|)"
    R"(\p{L}+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b)";

// What may sit between a context word and its value: "is", "=", ":", "#", quotes.
#define CA_SEP R"(["']?\s*(?:(?:(?i:is|was|est|es|ist|è|=>|->)|[:=#])\s*){0,2}["']?)"
#define CA_NUMBER_WORD \
  R"((?:[ \-]?(?i:no\.?|nr\.?|number|nummer|numéro|número|numero|num\.?|#)(?:\b|\s|$))?)"

// An address goes on past the street: a unit ("Apt 4B", ", Unit 12"), a direction ("NW"), then
// the city with a state or postcode ("Springfield, IL 62704", "London SW1A 2AA", "Toronto, ON
// M4W 1A5", "Dublin 2, D02 XY45") or a postcode and the city ("10115 Berlin", "1012 LG
// Amsterdam", "1100-053 Lisboa"). Without a state or postcode the street stands alone.
#define CA_ADDR_UNIT_BEFORE \
  R"((?:\b(?i:flat|apt\.?|apartment|unit|suite)[ \t]*#?[0-9A-Za-z]{1,4},?[ \t]+)?)"
#define CA_ADDR_NUMBER_SUFFIX R"((?:[ \t]+(?:bis|ter|[a-z])\b)?)"
#define CA_ADDR_CITY \
  R"(\p{Lu}[\p{L}'\-]*(?:[ \t]+(?:(?:am|an der|im|sur|de|del|di|do|da)[ \t]+)?\p{Lu}[\p{L}'\-]*){0,2})"
// A 4-digit postcode (AT, BE, CH, DK) only after a known street shape: alone it is a year.
#define CA_ADDR_POSTCODE_FIRST_STRICT                                                     \
  R"((?:,[ \t]*|[ \t]*\r?\n[ \t]*)(?:\d{5}|\d{4}[ \t]?[A-Z]{2}|\d{4}-\d{3}|\d{5}-\d{3}))" \
  R"([ \t]+)" CA_ADDR_CITY
#define CA_ADDR_POSTCODE_FIRST                                                                  \
  R"((?:,[ \t]*|[ \t]*\r?\n[ \t]*)(?:\d{5}|\d{4}[ \t]?[A-Z]{2}|\d{4}-\d{3}|\d{5}-\d{3}|\d{4}))" \
  R"([ \t]+)" CA_ADDR_CITY
#define CA_ADDR_POSTCODE                                                                                 \
  R"((?:\d{5}-\d{3}|\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|)" \
  R"([A-Z]\d{2}[ \t]?[A-Z\d]{4})\b)"
#define CA_ADDR_TAIL                                                                            \
  R"((?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b\.?)?)"                                                  \
  R"((?:,?[ \t]+(?i:apt|apartment|unit|suite|ste|flat|whg|wohnung|appt|piso|andar)\.?[ \t]*#?)" \
  R"([0-9A-Za-z]{1,5}\b)?)"                                                                     \
  R"((?:)" CA_ADDR_POSTCODE_FIRST R"(|(?:,[ \t]*|[ \t]*\r?\n[ \t]*))" CA_ADDR_CITY              \
  R"((?:[ \t]+\d{1,2})?(?:,?[ \t]+[A-Z]{2}\b(?:[ \t]+)" CA_ADDR_POSTCODE                        \
  R"()?|,?[ \t]+)" CA_ADDR_POSTCODE R"())?)"

// Letters of e-mail addresses as RE2 class contents (see the e-mail rule); is_email_letter
// holds the same ranges for the check.
#define CA_EMAIL_LETTER                                                                          \
  R"(A-Za-z\x{C0}-\x{1FFF}\x{2070}-\x{209F}\x{20D0}-\x{218F}\x{2C00}-\x{2FFF}\x{3040}-\x{D7FF})" \
  R"(\x{F900}-\x{FDFF}\x{FE70}-\x{FEFE}\x{FF10}-\x{FFEF}\x{10000}-\x{1EFFF}\x{1FB00}-\x{10FFFF})"
#define CA_EMAIL_WORD "0-9" CA_EMAIL_LETTER

// A person's name: capitalised words, lower-case particles between them ("Sanne de Jong",
// "Pieter van den Berg", "Ludwig van Beethoven").
#define CA_NAME_PARTICLE \
  R"((?:(?:de|van|von|der|den|da|di|du|del|della|dos|das|do|la|le|ter|ten|zu|bin|al|el|y) ))"
#define CA_NAME \
  R"(\p{Lu}[\p{L}'\-]+(?: )" CA_NAME_PARTICLE R"({0,2}\p{Lu}[\p{Ll}'][\p{L}'\-]*){0,2})"

// Order matters only for ties (same span length): earlier rules win.
const RuleSpec kRules[] = {
    {PiiType::kSecret, Check::kPrivateKey, nullptr,
     R"((?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----.*?-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----)"},
    {PiiType::kSecret, Check::kPrivateKey, nullptr,
     R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[A-Za-z0-9+/=\s]*)"},
    {PiiType::kUrlCredentials, Check::kUrlCredentials, nullptr,
     R"(\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:/@]+:[^\s/@]+@[A-Za-z0-9.\-\[\]]+(?::\d{1,5})?)"},
    // Letters of any script in the local part and the domain (SMTPUTF8, IDN: "josé.garcía@",
    // "jörg@müller-bau.de"), an apostrophe inside the local part ("o'brien@"). RE2's \b is ASCII
    // only: the check rejects a top-level domain glued to more letters. A letter beyond ASCII
    // is any code point outside the Latin-1 symbols, general punctuation, arrows to dingbats,
    // CJK punctuation and emoji: \p{L} compiles to ~1300 RE2 instructions per copy, and ten
    // copies (39k instructions) made each span search 40x slower than this (1.1k).
    {PiiType::kEmail, Check::kEmail, nullptr,
     R"([)" CA_EMAIL_WORD R"(._%+\-]+(?:['’][)" CA_EMAIL_WORD R"(._%+\-]+)*@)"
     R"([)" CA_EMAIL_WORD R"(](?:[)" CA_EMAIL_WORD R"(\-]*[)" CA_EMAIL_WORD R"(])?)"
     R"((?:\.[)" CA_EMAIL_WORD R"(](?:[)" CA_EMAIL_WORD R"(\-]*[)" CA_EMAIL_WORD R"(])?)*)"
     R"(\.[)" CA_EMAIL_LETTER R"(]{2,24})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b)"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\bsk-(?:proj-|ant-|live-|test-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\b(?:[rs]k|whsec)_(?:(?:live|test)_)?[A-Za-z0-9]{16,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bgh[pousr]_[A-Za-z0-9]{36,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bgithub_pat_[A-Za-z0-9_]{22,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bglpat-[A-Za-z0-9_\-]{20,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bxox[abposre]-[A-Za-z0-9\-]{10,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bxapp-[A-Za-z0-9\-]{20,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bAIza[0-9A-Za-z_\-]{35})"},
    // Incoming-webhook URLs carry their secret in the path.
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\bhttps?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{20,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\bhttps?://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_\-]{20,})"},
    // Twilio API key SID and Heroku platform keys.
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bSK[0-9a-f]{32}\b)"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bHRKU-[A-Za-z0-9_\-]{20,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\b(?:npm|hf)_[A-Za-z0-9]{30,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})"},
    {PiiType::kSecret, Check::kSecretShape, R"((?i:\bbearer)\s+)", R"([A-Za-z0-9\-._~+/]{20,}=*)"},
    {PiiType::kSecret, Check::kSecretShape, R"((?i:\bauthorization:?\s*basic)\s+)",
     R"([A-Za-z0-9+/]{12,}={0,2})"},
    {PiiType::kSecret, Check::kSecretKeyword,
     // A config name may carry a prefix: AWS_SECRET_ACCESS_KEY, aws_secret_access_key, DB_TOKEN.
     R"((?i:\b(?:[a-z0-9]+_)*(?:api[_\-. ]?key|apikey|secret(?:[_\-. ]?(?:access[_\-. ]?)?key)?|)"
     R"(client[_\-. ]?secret|access[_\-. ]?(?:key|token)(?:[_\-. ]?id)?|auth[_\-. ]?token|)"
     R"(refresh[_\-. ]?token|token|password|passwd|passphrase|private[_\-. ]?key|credentials?|key|)"
     R"(passwort|kennwort|contraseña|mot de passe|clave|schlüssel)\b))" CA_SEP,
     R"([A-Za-z0-9\-_.+/=!@#$%^&*~]{16,})"},
    {PiiType::kSecret, Check::kPassword,
     R"((?i:\b(?:[a-z0-9]+_)*(?:password|passwd|pwd|passcode|passwort|kennwort|contraseña|)"
     R"(contrasena|mot de passe|wachtwoord|senha|palavra-passe)\b))" CA_SEP,
     R"([^\s"',;]{4,64})"},
    {PiiType::kCard, Check::kCard, nullptr, R"(\b\d(?:[ \-.]?\d){12,}\b)"},
    {PiiType::kSsn, Check::kSsn, nullptr, R"(\b\d{3}-\d{2}-\d{4}\b)"},
    {PiiType::kSsn, Check::kSsn,
     R"((?i:\b(?:ssn|ss#|ss (?:number|no\.?|num)|social(?: sec(?:urity)?\.?)?(?: number| no\.?| #| num)?|)"
     R"(soc\.? sec\.?(?: number| no\.?| #| num)?|tin|itin|tax ?id|taxpayer id(?:entification number)?))"
     // "tax id (SSN) = 527.39.1184": the word may sit in brackets.
     R"((?:\b|#))\)?\s*)"
     R"((?:#|:|=|(?i:is))?\s*)",
     R"(\d{3}[ \-.]?\d{2}[ \-.]?\d{4}\b)"},
    {PiiType::kIban, Check::kIban, nullptr, R"(\b[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){11,34}\b)"},
    {PiiType::kIpAddress, Check::kIpv4, nullptr, R"(\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)"},
    {PiiType::kIpAddress, Check::kIpv6, nullptr,
     R"([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}\.\d{1,3}\.\d{1,3})?)"},
    {PiiType::kMacAddress, Check::kMac, nullptr,
     R"(\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\b|\b[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}\b|)"
     R"(\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b)"},
    {PiiType::kPhone, Check::kPhone, nullptr, R"(\+?\(?\d[\d\-. /()]*\d)"},
    {PiiType::kDateOfBirth, Check::kDateOfBirth,
     R"((?:(?i:\b(?:born(?: on| in)?|dob|date of birth|birth ?date|birthday|geboren(?: am| op)?|)"
     R"(geburtsdatum|geburtstag|fecha de nacimiento|nacid[oa](?: el)?|data di nascita|nat[oa] il|)"
     R"(date de naissance|geboortedatum|verjaardag|cumpleaños|compleanno|anniversaire)\b)|)"
     R"((?i:\bd\.o\.b\.?)|(?i:\bné(?:e)? le\b)|)"
     // Portuguese, Spanish "nací el", and abbreviations ending in a dot ("geb.", "Geb.-Datum",
     // "fecha de nac.", "data nasc."), where a closing \b cannot hold.
     R"((?i:\b(?:data de nascimento|nascid[oa] em|nasci em|nac(?:í|i) el|geb\.(?:-datum)?|)"
     R"(geburtsdat\.|fecha de nac\.?|f\. ?nac\.|data (?:de )?nasc\.|dt\. nasc\.))))"
     R"(\s*(?:[:\-]|(?i:is|was|am|le|el|il|op|on|em))?\s*(?:(?i:the|le|el|il)\s+)?)",
     kDate},
    {PiiType::kCryptoWallet, Check::kBech32, nullptr,
     R"(\b(?:(?:bc|tb)1[ac-hj-np-z02-9]{8,}|(?:BC|TB)1[AC-HJ-NP-Z02-9]{8,})\b)"},
    {PiiType::kCryptoWallet, Check::kBase58, nullptr, R"(\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b)"},
    {PiiType::kCryptoWallet, Check::kEthereum, nullptr, R"(\b0x[0-9a-fA-F]{40}\b)"},
    {PiiType::kPassport, Check::kPassport,
     R"((?i:\b(?:passport|reisepass|pass-?nr\.?|passnummer|passeport|pasaporte|passaporto|paspoort))" CA_NUMBER_WORD
     R"())" CA_SEP,
     R"([A-Z0-9]{6,9}\b)"},
    {PiiType::kDriverLicense, Check::kDriverLicense,
     R"((?:(?i:\b(?:driver'?s?[ \-]licen[cs]e|driving[ \-]licen[cs]e|licen[cs]e|f(?:ü|ue)hrerschein|)"
     R"(permis de conduire|carnet de conducir|licencia de conducir|permiso de conducir|)"
     R"(patente(?: di guida)?|rijbewijs))" CA_NUMBER_WORD R"()|\bDL#?))" CA_SEP,
     R"([A-Z0-9]{1,18}(?:[ \-][A-Z0-9]{1,8}){0,4})"},
    {PiiType::kPersonName, Check::kPersonName,
     R"((?:(?i:\bmy (?:full )?name is|\bmein name ist|\bich hei(?:ß|ss)e|\bje m'appelle|)"
     R"(\bmon nom est|\bme llamo|\bmi nombre es|\bmi chiamo|\bil mio nome è|\bik heet|)"
     R"(\bmijn naam is|\b(?:o )?meu nome é|\bme chamo|\bdear (?:mr|mrs|ms|dr|herr|frau)\.?|)"
     // "under the name", "in the name of" a booking or an order.
     R"(\bunder the name|\bin the name of|\bauf den namen|\bau nom de|\ba nombre de|\ba nome di|)"
     R"(\bop naam van|\bem nome de|)"
     // Account and card holder labels.
     R"(\b(?:account|card)[ \t]?holder(?:['’]s)?(?:[ \t]+name)?[ \t]*:?|\bname on (?:the )?card[ \t]*:?|)"
     R"(\b(?:konto|karten)inhaber(?:in)?[ \t]*:?|)"
     R"(\btitulaire(?: du compte| de la carte)?[ \t]*:?|)"
     R"(\btitular(?: de la cuenta| de la tarjeta| da conta| do cartão)?[ \t]*:?|)"
     R"(\bintestatario(?: del conto| della carta)?[ \t]*:?|\b(?:rekening|kaart)houder[ \t]*:?)|)"
     R"((?m:^)[ \t]*)"
     R"((?i:full name|name|nombre|nom)[ \t]*:|[,;|(][ \t]*(?i:name)[ \t]*:|)"
     R"(\b(?:Full name|Name|Nombre|Nom|Naam|Nome)[ \t]*:)[ \t]*)",
     // Later words need a lower-case second letter: "Jürgen Patel USPS ..." stops before USPS;
     // a name all in capitals, as embossed on cards ("Cardholder: MARIA GARCIA"), is taken whole.
     R"((?:[A-Z][A-Z'\-]+(?:[ \t]+[A-Z][A-Z'\-]+){1,2}|)" CA_NAME R"())"},
    // A title before a name: "ask for Mrs. Jennifer Adams", "Herr Stefan Koch".
    {PiiType::kPersonName, Check::kPersonName,
     R"(\b(?:Mr|Mrs|Ms|Mx|Dr|Herr|Frau|Mme|Madame|Monsieur|Sr|Sra|Srta|Señor|Señora|Signor|)"
     R"(Signora|Dhr|Mevr|Mevrouw)\.?[ \t]+)",
     CA_NAME},
    // Self-introductions ("I'm Sarah Connor", "this is John Smith from billing", "Ich bin Markus
    // Braun", "Je suis Julien Moreau"): two or three capitalised words; the check drops team and
    // product phrases ("This is Customer Service").
    {PiiType::kPersonName, Check::kIntroducedName,
     R"((?:\b(?i:i['’]?m|i am|this is|it['’]?s|my name['’]?s|ich bin|je suis|yo soy|soy|sono|)"
     R"(sou|ik ben) ))",
     R"(\p{Lu}\p{Ll}+(?:(?: )" CA_NAME_PARTICLE R"({0,2}|-)\p{Lu}\p{Ll}+){1,2})"},
    // A sign-off line ("Best regards,") followed by a line that is only a name.
    {PiiType::kPersonName, Check::kPersonName,
     R"((?m:^)[ \t]*(?i:(?:(?:best|kind|warm|many)[ \t]+)?(?:regards|wishes|thanks)|thank you|cheers|)"
     R"(sincerely|best|yours(?: truly| sincerely)?|saludos|un saludo|cordialement|cordiali saluti|)"
     R"(viele grüße|mit freundlichen grüßen|liebe grüße|groeten|met vriendelijke groet)[ \t]*[,!.]?)"
     R"([ \t]*\r?\n[ \t]*)",
     R"(\p{Lu}[\p{L}'\-]+(?: )" CA_NAME_PARTICLE R"({0,2}\p{Lu}[\p{L}'\-]+){0,2}[ \t]*(?m:$))"},
    // A sign-off and a name on one line ("Thanks, John Miller", "Danke, Julia Wagner"): two or
    // three capitalised words that end the line.
    {PiiType::kPersonName, Check::kPersonName,
     R"((?m:^)[ \t]*(?i:(?:(?:best|kind|warm|many)[ \t]+)?(?:regards|wishes|thanks)|thank you|cheers|)"
     R"(best|sincerely|danke(?: schön)?|vielen dank|merci(?: beaucoup)?|gracias|grazie|)"
     R"(obrigad[oa]|bedankt|dank je(?: wel)?|saludos|cordialement|groeten|grüße|gruß)[ \t]*,[ \t]*)",
     R"(\p{Lu}\p{Ll}+(?: )" CA_NAME_PARTICLE R"({0,2}\p{Lu}\p{Ll}[\p{L}'\-]*){1,2})"
     R"((?:[ \t]*[.!])?[ \t]*(?m:$))"},
    {PiiType::kAddress, Check::kAddress, nullptr,
     CA_ADDR_UNIT_BEFORE
     R"(\b\d{1,5}[A-Za-z]? (?:\p{Lu}[\p{L}'\-]*\.? ){1,4}(?:Street|St|Avenue|Ave|Road|Rd|)"
     R"(Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|)"
     R"(Highway|Hwy|Parkway|Pkwy)\b)" CA_ADDR_TAIL},
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b\p{Lu}\p{Ll}+(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|straat|laan|)"
     R"(gracht|plein|kade|singel) \d{1,4}[a-z]?\b)" CA_ADDR_NUMBER_SUFFIX CA_ADDR_TAIL},
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b\d{1,4}(?:,| bis| ter)? (?:rue|avenue|boulevard|chemin|allée|place|impasse|quai) )"
     R"((?:(?:de la|de|du|des) |d')?\p{Lu}[\p{L}'\-]*(?: \p{Lu}[\p{L}'\-]*){0,3})" CA_ADDR_TAIL},
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b(?:Calle|C/|Avenida|Avda\.|Av\.|Plaza|Paseo|Via|Viale|Piazza|Corso|Rua|Travessa|)"
     R"(Praça|Largo|Alameda|Estrada) )"
     R"((?:(?:de la|de|del|di|della|dei|das|dos|da|do) )?\p{Lu}[\p{L}'\-]*(?: \p{Lu}[\p{L}'\-]*){0,3},? )"
     R"((?:n\.? ?º? ?)?\d{1,4}\b)" CA_ADDR_NUMBER_SUFFIX CA_ADDR_TAIL},
    // German street names that start with a preposition ("Am Markt 3", "An der Alster 12").
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Unter den) )"
     R"(\p{Lu}[\p{L}'\-]*(?: \p{Lu}[\p{L}'\-]*){0,2} \d{1,4}[a-z]?\b)" CA_ADDR_NUMBER_SUFFIX
         CA_ADDR_TAIL},
    // Any street name and number, when a postcode and a city follow ("Damrak 1, 1012 LG
    // Amsterdam", "Rua Augusta 100, 1100-053 Lisboa").
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b\p{Lu}[\p{L}'\-]*\.?(?: (?:(?:de|da|das|do|dos|van|von|der|den|la|le) )?\p{Lu}[\p{L}'\-]*\.?){0,2})"
     R"( \d{1,4}[a-z]?\b)" CA_ADDR_NUMBER_SUFFIX CA_ADDR_POSTCODE_FIRST_STRICT},
    // Post office boxes.
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b(?:(?i:p\.? ?o\.? ?box)|Postfach|Postbus|Apartado(?: de [Cc]orreos)?|Caixa Postal|)"
     R"(Bo[iî]te [Pp]ostale|Casella [Pp]ostale) \d{1,6}\b)" CA_ADDR_TAIL},
};

#undef CA_SEP
#undef CA_EMAIL_LETTER
#undef CA_EMAIL_WORD
#undef CA_NAME_PARTICLE
#undef CA_NAME
#undef CA_ADDR_UNIT_BEFORE
#undef CA_ADDR_NUMBER_SUFFIX
#undef CA_ADDR_CITY
#undef CA_ADDR_POSTCODE_FIRST
#undef CA_ADDR_POSTCODE_FIRST_STRICT
#undef CA_ADDR_POSTCODE
#undef CA_ADDR_TAIL
#undef CA_NUMBER_WORD

struct Rule {
  RuleSpec spec;
  int pattern_id = -1;
  int prefix_id = -1;
};

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// ASCII lower case, whatever the C locale (std::tolower in the "C" locale does the same).
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The `width` (<= 32) bytes before `pos`, lower-cased: where context words are looked for. On the
// stack: the phone and card checks ask for several windows per candidate.
class LowerWindow {
 public:
  LowerWindow(std::string_view text, size_t pos, size_t width) {
    const size_t from = pos > width ? pos - width : 0;
    size_ = std::min(pos - from, sizeof(bytes_));
    for (size_t i = 0; i < size_; ++i) {
      bytes_[i] = ascii_lower(text[pos - size_ + i]);
    }
  }
  std::string_view view() const { return {bytes_, size_}; }

 private:
  char bytes_[32];
  size_t size_ = 0;
};

LowerWindow window_before(std::string_view text, size_t pos, size_t width) {
  return LowerWindow(text, pos, width);
}

// A word list bucketed by first byte at compile time: contains_any reads the window once and
// compares only the words that start with the byte at hand.
template <size_t N>
struct WordIndex {
  std::array<std::string_view, N> words{};
  std::array<uint8_t, 257> begin{};  // words[begin[c], begin[c + 1]) start with byte c
};

template <size_t N>
constexpr WordIndex<N> index_words(const std::string_view (&list)[N]) {
  static_assert(N < 256);
  WordIndex<N> index;
  std::copy(std::begin(list), std::end(list), index.words.begin());
  std::sort(index.words.begin(), index.words.end(), [](std::string_view a, std::string_view b) {
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]);
  });
  size_t w = 0;
  for (size_t c = 0; c <= 256; ++c) {
    while (w < N && static_cast<unsigned char>(index.words[w][0]) < c) {
      ++w;
    }
    index.begin[c] = static_cast<uint8_t>(w);
  }
  return index;
}

bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

// Whether any word occurs in the window (what haystack.find(word) != npos for each word says).
// Words shorter than `word_start_below` bytes count only at the start of a word: "tel" is not in
// "Bestellung", nor "call" in "recall".
template <size_t N>
bool contains_any(const LowerWindow& window, const WordIndex<N>& index,
                  size_t word_start_below = 0) {
  const std::string_view haystack = window.view();
  for (size_t i = 0; i < haystack.size(); ++i) {
    const auto c = static_cast<unsigned char>(haystack[i]);
    for (size_t k = index.begin[c]; k < index.begin[c + 1u]; ++k) {
      const std::string_view w = index.words[k];
      if (w.size() < word_start_below && i > 0 && is_word_byte(haystack[i - 1])) {
        continue;
      }
      if (w.size() <= haystack.size() - i &&
          std::equal(w.begin() + 1, w.end(),
                     haystack.begin() + static_cast<std::ptrdiff_t>(i + 1))) {
        return true;
      }
    }
  }
  return false;
}

// Digit-group lengths of a phone or card window (at most 7 groups; no allocation).
class GroupLengths {
 public:
  void push_back(size_t length) {
    CONVAUDIT_CHECK(size_ < kMax);
    lengths_[size_++] = length;
  }
  size_t size() const { return size_; }
  size_t operator[](size_t i) const { return lengths_[i]; }
  size_t back() const { return lengths_[size_ - 1]; }
  const size_t* begin() const { return lengths_; }
  const size_t* end() const { return lengths_ + size_; }

 private:
  static constexpr size_t kMax = 8;
  size_t lengths_[kMax] = {};
  size_t size_ = 0;
};

// A number glued to more digits by a separator ("1234-5678-...", "1.2.3.4.5") is part of
// something longer, not a value on its own. Digits that end a word ("mc2 4111...") do not count.
bool extends_number(std::string_view text, size_t begin, size_t end, std::string_view seps) {
  if (begin >= 2 && seps.find(text[begin - 1]) != std::string_view::npos &&
      is_digit(text[begin - 2])) {
    size_t i = begin - 2;
    while (i > 0 && is_digit(text[i - 1])) {
      --i;
    }
    if (i == 0 || !is_alnum(text[i - 1])) {
      return true;
    }
  }
  return end + 1 < text.size() && seps.find(text[end]) != std::string_view::npos &&
         is_digit(text[end + 1]);
}

constexpr std::string_view kTrailingPunctuation = ".,;:!?)]}'\"";

size_t trim_trailing(std::string_view text, size_t begin, size_t end,
                     std::string_view punctuation = kTrailingPunctuation) {
  while (end > begin && punctuation.find(text[end - 1]) != std::string_view::npos) {
    --end;
  }
  return end;
}

struct Candidate {
  PiiSpan span;
  size_t order = 0;         // rule index, for ties
  bool contextual = false;  // the rule required context words
};

// ---- phone numbers ----------------------------------------------------------------------------

struct DigitGroup {
  size_t begin = 0;
  size_t end = 0;
};

constexpr std::string_view kVersionWords[] = {"version", " ver ", " ver.", "release", " v."};
constexpr auto kVersionIndex = index_words(kVersionWords);
// Words before a four-part number that make it a version or a section, not an address
// ("firmware 4.1.12.3", "Upgrade from 2.4.1.0 to 2.4.2.0", "clause 4.2.1.1"), unless an address
// word is nearer ("update the firewall for ip 10.0.0.1").
constexpr std::string_view kDottedVersionWords[] = {
    "firmware", "build",     "upgrad",   "update",    "software", "patch",    "section",
    "clause",   "chapter",   "kapitel",  "abschnitt", "artikel",  "article",  "articolo",
    "artículo", "paragraph", "absatz",   "chapitre",  "capítulo", "capitolo", "hoofdstuk",
    "versie",   "versión",   "versione", "release",   "version",  "driver",   "bios",
    "fw ",      "rev ",      "revision", "§"};
constexpr auto kDottedVersionIndex = index_words(kDottedVersionWords);
constexpr std::string_view kAddressWords[] = {
    "ip",     "address", "addr",    "host",      "server",    "gateway",   "dns",
    "subnet", "ping",    "adresse", "dirección", "direccion", "indirizzo", "adres",
    "proxy",  "vpn",     "ssh",     "router ip", "from ip",   "client"};
constexpr auto kAddressIndex = index_words(kAddressWords);

bool dotted_version_context(std::string_view text, size_t begin) {
  if (contains_any(window_before(text, begin, 10), kVersionIndex)) {
    return true;
  }
  return contains_any(window_before(text, begin, 24), kDottedVersionIndex) &&
         !contains_any(window_before(text, begin, 12), kAddressIndex, 4);
}
// Words that say "telephone". Those under 5 bytes must start a word (see contains_any).
constexpr std::string_view kPhoneWords[] = {
    "phone",     "tel",     "mobile",  "cell",       "call",      "fax",       "whatsapp",
    "sms",       "text me", "ring",    "reach me",   "contact",   "handy",     "telefon",
    "portable",  "móvil",   "movil",   "teléfono",   "telefono",  "celular",   "cellulare",
    "telefoon",  "mobiel",  "llámame", "llamame",    "chiamami",  "bel me",    "appelle",
    "appeler",   "rufen",   "anrufen", "erreichbar", "cellphone", "landline",  "hotline",
    "whats app", "whats",   "signal",  "mob",        "telemóvel", "telemovel", "ligue",
    "liga para"};
constexpr auto kPhoneIndex = index_words(kPhoneWords);
constexpr size_t kPhoneWordStartBelow = 5;
// Words that only say "number": a phone next to nothing else, an id after a reference word
// ("numéro de commande 0612345678", "pedido número 912345678").
constexpr std::string_view kNumberWords[] = {"numéro", "number is", "nummer", "número", "numero"};
constexpr auto kNumberIndex = index_words(kNumberWords);
// Words that name a number as an id. Each must start a word ("remember", "said" and "je compte
// sur vous" name nothing); "customer number", "numéro de compte" and the like are read by
// label_is_reference instead.
constexpr std::string_view kNotPhoneWords[] = {
    "order",        "invoice",      "tracking",     "ticket",
    "ref",          "account",      "id",           "#",
    "case",         "serial",       "sku",          "transaction",
    "pedido",       "bestel",       "confirmation", "booking",
    "version",      "build",        "timestamp",    "commande",
    "isbn",         "fedex",        "ups",          "usps",
    "parcel",       "shipment",     "po ",          "policy",
    "kundennummer", "kundennr",     "kunden-nr",    "customer id",
    "customer #",   "client id",    "klantnummer",  "klantnr",
    "auftrag",      "vorgang",      "rechnung",     "riferimento",
    "ordine",       "encomenda",    "factura",      "facture",
    "fattura",      "factuur",      "contract",     "vertrag",
    "contrat",      "member",       "mitglied",     "dossier",
    "aktenzeichen", "konto",        "rekening",     "part #",
    "part no",      "part nr",      "reserv",       "abonnement",
    "subscription", "lieferschein", "sendung",      "colis"};
constexpr auto kNotPhoneIndex = index_words(kNotPhoneWords);
constexpr size_t kWholeWordStart = 64;  // contains_any: every word must start a word
// What a label word starts with when it names an id ("customer number is", "Kundennummer",
// "numéro de client"), read only where the label is known to be a number's name.
constexpr std::string_view kReferenceStems[] = {
    "customer", "client",   "kunde",   "klant",    "member",    "mitglied", "socio",    "abonn",
    "account",  "order",    "ticket",  "ref",      "invoice",   "pedido",   "commande", "bestel",
    "auftrag",  "rechnung", "vorgang", "contract", "contrat",   "contrato", "vertrag",  "booking",
    "reserv",   "case",     "policy",  "ordine",   "encomenda", "factura",  "facture",  "fattura",
    "factuur",  "dossier",  "konto",   "compte",   "cuenta",    "rekening", "part",     "transac",
    "tracking", "confirm",  "subscri", "serial",   "kassenbon", "beleg",    "quittung", "receipt"};
constexpr std::string_view kNumberSuffixes[] = {"nummer", "number", "nr", "no", "id", "num"};

// Whether the word that names the number at `pos` names an id. The label is found by going back
// over separators and number words ("order number is 0612...", "pedido número 9123...",
// "Kundennummer: 0151..."); it counts when a number word says it names a number (skipped, in
// the label itself, or `number_word` before it) and it starts like a reference word.
bool label_is_reference(std::string_view text, size_t pos, bool number_word) {
  constexpr std::string_view kSkip[] = {
      "number", "no",  "nr", "num", "nummer", "numéro", "número", "numero", "n°", "nº", "is",
      "was",    "est", "es", "ist", "è",      "é",      "de",     "da",     "do", "du", "d"};
  const size_t floor = pos > 48 ? pos - 48 : 0;
  for (int words = 0; words < 5; ++words) {
    while (pos > floor &&
           std::string_view(" \t:#=.-\"'(").find(text[pos - 1]) != std::string_view::npos) {
      --pos;
    }
    size_t start = pos;
    while (start > floor && is_word_byte(text[start - 1])) {
      --start;
    }
    if (start == pos) {
      return false;
    }
    const std::string word = lower(text.substr(start, pos - start));
    if (std::find(std::begin(kSkip), std::end(kSkip), word) != std::end(kSkip)) {
      number_word = number_word || (word != "is" && word != "was" && word != "est" &&
                                    word != "es" && word != "ist" && word.size() > 2);
      pos = start;
      continue;
    }
    number_word = number_word || std::any_of(std::begin(kNumberSuffixes), std::end(kNumberSuffixes),
                                             [&](std::string_view s) {
                                               return std::string_view(word).ends_with(s);
                                             });
    return number_word && std::any_of(std::begin(kReferenceStems), std::end(kReferenceStems),
                                      [&](std::string_view stem) {
                                        return std::string_view(word).starts_with(stem);
                                      });
  }
  return false;
}

// Total digits (country code included) of numbers under the calling codes we know; others get
// the E.164 bounds 8..15.
struct CallingCode {
  std::string_view code;
  size_t min_total;
  size_t max_total;
};
constexpr CallingCode kCallingCodes[] = {
    {"1", 11, 11},   {"7", 11, 11},  {"20", 11, 12},  {"27", 11, 11},  {"30", 12, 12},
    {"31", 11, 11},  {"32", 10, 11}, {"33", 11, 11},  {"34", 11, 11},  {"36", 10, 11},
    {"39", 10, 13},  {"40", 11, 11}, {"41", 11, 11},  {"43", 10, 14},  {"44", 11, 12},
    {"45", 10, 10},  {"46", 9, 12},  {"47", 10, 10},  {"48", 11, 11},  {"49", 10, 14},
    {"52", 12, 13},  {"55", 12, 13}, {"61", 11, 11},  {"65", 10, 10},  {"81", 11, 12},
    {"86", 12, 13},  {"91", 12, 12}, {"351", 12, 12}, {"353", 11, 12}, {"358", 9, 13},
    {"971", 11, 12},
};

bool international_length_ok(const std::string& digits) {
  for (const CallingCode& cc : kCallingCodes) {
    if (digits.compare(0, cc.code.size(), cc.code) == 0) {
      return digits.size() >= cc.min_total && digits.size() <= cc.max_total;
    }
  }
  return digits.size() >= 8 && digits.size() <= 15;
}

bool lengths_are(const GroupLengths& lengths, std::initializer_list<size_t> want) {
  return std::equal(lengths.begin(), lengths.end(), want.begin(), want.end());
}

// Whether phone or number words (28 bytes before) or reference words (16 bytes before the
// position or before the number's label) precede a position; find_phones scores many windows
// starting at the same group, so the last answer is kept.
class PhoneContext {
 public:
  explicit PhoneContext(std::string_view text) : text_(text) {}
  // A phone word, or a number word ("numéro", "number is").
  bool positive(size_t pos) {
    load(pos);
    return phone_word_ || number_word_;
  }
  // A phone word: it outweighs a reference word ("account phone number is ...").
  bool phone_word(size_t pos) {
    load(pos);
    return phone_word_;
  }
  bool negative(size_t pos) {
    load(pos);
    return negative_;
  }

 private:
  void load(size_t pos) {
    if (pos == pos_) {
      return;
    }
    pos_ = pos;
    const LowerWindow before = window_before(text_, pos, 28);
    phone_word_ = contains_any(before, kPhoneIndex, kPhoneWordStartBelow);
    number_word_ = contains_any(before, kNumberIndex);
    negative_ = contains_any(window_before(text_, pos, 16), kNotPhoneIndex, kWholeWordStart) ||
                label_is_reference(text_, pos, number_word_);
  }
  std::string_view text_;
  size_t pos_ = std::string_view::npos;
  bool phone_word_ = false;
  bool number_word_ = false;
  bool negative_ = false;
};

// 0: not a phone; 1: a phone only because a phone word precedes it; 2: a national or
// international phone shape on its own.
int phone_score(std::string_view text, const std::vector<DigitGroup>& groups, size_t first,
                size_t last, bool intl, size_t skip_digits, PhoneContext& context) {
  // Every phone has 7+ digits (international ones 8+): fewer is a "no" before any allocation.
  size_t window_digits = 0;
  for (size_t i = first; i <= last; ++i) {
    window_digits += groups[i].end - groups[i].begin;
  }
  if (window_digits < 7) {
    return 0;
  }
  std::string digits;
  GroupLengths lengths;
  for (size_t i = first; i <= last; ++i) {
    // "+33 (0)1 ...": the bracketed trunk 0 is not dialled from abroad.
    if (intl && i > first && groups[i].end - groups[i].begin == 1 && text[groups[i].begin] == '0' &&
        text[groups[i].begin - 1] == '(') {
      continue;
    }
    lengths.push_back(groups[i].end - groups[i].begin);
    digits += text.substr(groups[i].begin, lengths.back());
  }
  if (intl && skip_digits == 0) {
    return international_length_ok(digits) ? 2 : 0;
  }
  if (intl) {  // "00" + calling code: a number after "invoice" or "order" is not a phone
    const bool neg = context.negative(groups[first].begin);
    const bool pos = context.phone_word(groups[first].begin);
    return (!neg || pos) && international_length_ok(digits.substr(skip_digits)) ? 2 : 0;
  }
  const size_t total = digits.size();
  if (total < 7 || total > 15) {
    return 0;
  }
  const size_t n = lengths.size();
  // Dates (2024-01-15, 15.01.2024) and dotted quads are not phones whatever the context.
  std::string seps;
  for (size_t i = first + 1; i <= last; ++i) {
    seps += text.substr(groups[i - 1].end, groups[i].begin - groups[i - 1].end);
  }
  if (lengths_are(lengths, {4, 2, 2}) || lengths_are(lengths, {2, 2, 4}) ||
      lengths_are(lengths, {1, 1, 4}) || lengths_are(lengths, {1, 2, 4}) ||
      lengths_are(lengths, {2, 1, 4})) {
    return 0;
  }
  if (n == 4 && seps == "..." &&
      std::all_of(lengths.begin(), lengths.end(), [](size_t l) { return l <= 3; })) {
    return 0;
  }
  const bool positive = context.positive(groups[first].begin);
  const bool negative = context.negative(groups[first].begin);
  if (negative && !context.phone_word(groups[first].begin)) {
    return 0;
  }
  const char lead = digits[0];
  const bool us = (lengths_are(lengths, {3, 3, 4}) && lead >= '2') ||
                  (lengths_are(lengths, {1, 3, 3, 4}) && lead == '1' && digits[1] >= '2');
  const bool fr = n == 5 && lead == '0' &&
                  std::all_of(lengths.begin(), lengths.end(), [](size_t l) { return l == 2; });
  // National numbers with a trunk 0 (UK, DE, NL, IT, FR, IN); "00" is an international prefix.
  const bool trunk = n >= 2 && n <= 4 && lead == '0' && digits[1] != '0' && lengths[0] >= 2 &&
                     lengths[0] <= 5 && total >= 9 && total <= 12 &&
                     std::all_of(lengths.begin(), lengths.end(), [](size_t l) { return l >= 2; });
  // Spain: nine digits starting 6-9, grouped 3-3-3, 3-2-2-2 or 2-3-2-2.
  const bool es = total == 9 && lead >= '6' &&
                  (lengths_are(lengths, {3, 3, 3}) || lengths_are(lengths, {3, 2, 2, 2}) ||
                   lengths_are(lengths, {2, 3, 2, 2}));
  // India mobiles 5-5 starting 6-9; Italy mobiles 3xx.
  const bool in = lengths_are(lengths, {5, 5}) && lead >= '6';
  const bool it = lead == '3' && lengths[0] == 3 && n >= 2 && n <= 4 && total >= 9 && total <= 10;
  // Brazil: a two-digit area code (11-99), then a mobile 9xxxx-xxxx, or a landline xxxx-xxxx
  // when the area code is bracketed ("(11) 3456-7890").
  const bool area_bracketed = groups[first].begin > 0 && text[groups[first].begin - 1] == '(' &&
                              groups[first].end < text.size() && text[groups[first].end] == ')';
  const bool br =
      lead >= '1' && digits[1] != '0' &&
      ((lengths_are(lengths, {2, 5, 4}) && digits[2] == '9') ||
       (lengths_are(lengths, {2, 4, 4}) && area_bracketed && digits[2] >= '2' && digits[2] <= '5'));
  // ddd-dd-dddd is the SSN shape, never a phone on its own.
  const bool ssn_shape = lengths_are(lengths, {3, 2, 4});
  if (ssn_shape && !positive) {
    return 0;
  }
  if (us || fr || trunk || es || in || it || br) {
    return 2;
  }
  // Anything else (a bare run of digits, unusual grouping) only next to a phone word; a bare
  // 13+ digit run is a millisecond timestamp, not a phone.
  return positive && !(n == 1 && total > 12) ? 1 : 0;
}

void find_phones(std::string_view text, size_t begin, size_t end, size_t order,
                 std::vector<Candidate>& out) {
  // No window of fewer than 7 digits scores (see phone_score): most digit runs ("4.2.1", "20")
  // stop here.
  if (std::count_if(text.begin() + static_cast<std::ptrdiff_t>(begin),
                    text.begin() + static_cast<std::ptrdiff_t>(end), is_digit) < 7) {
    return;
  }
  bool plus = text[begin] == '+';
  PhoneContext context(text);
  PhoneContext seg_context(text);
  std::vector<DigitGroup> groups;
  std::vector<bool> breaks;  // breaks[i]: the separator before group i is not phone-like
  for (size_t i = begin; i < end;) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < end && is_digit(text[j])) {
      ++j;
    }
    bool broken = false;
    if (!groups.empty()) {
      const std::string_view sep = text.substr(groups.back().end, i - groups.back().end);
      broken = sep.size() > 2 || sep == "  " || sep == ".." || sep == "--" || sep == "//" ||
               sep == "((" || sep == "))" || sep == ")(";
    }
    groups.push_back({i, j});
    breaks.push_back(broken);
    i = j;
  }
  // Digits glued to letters ("ID123", "5kg") belong to a word: drop those groups; what follows
  // in the same run is inside a longer token ("DE85 0303 ...") and needs a phone word.
  bool inside_token = false;
  if (!groups.empty() && begin > 0 && (is_alnum(text[begin - 1]) || text[begin - 1] == '_')) {
    inside_token = true;
    groups.erase(groups.begin());
    breaks.erase(breaks.begin());
    plus = false;
    if (!breaks.empty()) {
      breaks[0] = false;
    }
  }
  if (!groups.empty() && end < text.size() && (is_alnum(text[end]) || text[end] == '_')) {
    groups.pop_back();
    breaks.pop_back();
  }
  // Segments split at non-phone separators; within each, the longest window with a phone shape
  // wins, else the longest window a phone word vouches for.
  size_t seg_first = 0;
  while (seg_first < groups.size()) {
    size_t seg_last = seg_first;
    while (seg_last + 1 < groups.size() && !breaks[seg_last + 1]) {
      ++seg_last;
    }
    // A run labelled as an id ("Bestellnummer 028-1234567-1234567") holds no phone, unless a
    // phone word says otherwise.
    if (seg_context.negative(groups[seg_first].begin) &&
        !seg_context.phone_word(groups[seg_first].begin)) {
      seg_first = seg_last + 1;
      continue;
    }
    size_t first = seg_first;
    // A window that starts inside a longer digit run ("DE89 3704 0044 0532 0130 00") needs a
    // phone word; one at the start of the run, or right after another phone, does not.
    bool at_start = !(inside_token && seg_first == 0);
    while (first <= seg_last) {
      // "+" (or "00") marks an international number: only for the first group of the match.
      const bool with_plus = plus && first == 0;
      const bool double_zero = !with_plus && text.substr(groups[first].begin, 2) == "00" &&
                               (first == 0 || breaks[first]);
      const bool intl = with_plus || double_zero;
      // A phone has at most 7 groups; the bound keeps hostile digit runs linear.
      const size_t last_max = std::min(seg_last, first + 6);
      size_t best_last = 0;
      int best = 0;
      for (size_t last = last_max + 1; last-- > first;) {
        int score = phone_score(text, groups, first, last, intl, double_zero ? 2 : 0, context);
        if (!at_start && score == 2 && !intl) {
          score = seg_context.positive(groups[seg_first].begin) ? 1 : 0;
        }
        if (score > best) {
          best = score;
          best_last = last;
          if (score == 2) {
            break;
          }
        }
      }
      if (best == 0) {
        ++first;
        at_start = false;
        continue;
      }
      at_start = true;
      size_t span_begin = groups[first].begin;
      if (with_plus) {
        span_begin = begin;
      } else if (span_begin > 0 && text[span_begin - 1] == '(' && groups[first].end < text.size() &&
                 text[groups[first].end] == ')') {
        --span_begin;
      }
      const size_t span_end = groups[best_last].end;
      std::string digits = digits_of(text.substr(span_begin, span_end - span_begin));
      std::string normalized;
      if (with_plus) {
        normalized = "+" + digits;
      } else if (double_zero) {
        normalized = "+" + digits.substr(2);
      } else {
        normalized = std::move(digits);
      }
      out.push_back({{PiiType::kPhone, span_begin, span_end, std::move(normalized)}, order});
      first = best_last + 1;
    }
    seg_first = seg_last + 1;
  }
}

// ---- payment cards ------------------------------------------------------------------------------

constexpr std::string_view kCardWords[] = {
    "card",  "visa",    "master",      "amex",  "credit",  "debit",  "karte",
    "carte", "tarjeta", "carta",       "kaart", "pan",     "cc",     "discover",
    "jcb",   "diners",  "kreditkarte", "cb ",   "maestro", "cartão", "cartao"};
constexpr auto kCardIndex = index_words(kCardWords);
// Words that label an id: a Luhn-valid number after them is a reference, not a card (one random
// number in ten passes Luhn).
constexpr std::string_view kNotCardWords[] = {
    "tracking",    "fedex",        "ups",         "usps",         "isbn",
    "order",       "invoice",      "awb",         "parcel",       "shipment",
    "sendung",     "colis",        "pedido",      "imei",         "serial",
    "ref ",        "ref:",         "ref.",        "ref#",         "reference",
    "transaction", "transaktion",  "transacción", "transazione",  "transactie",
    "txn",         "ticket",       "bestel",      "commande",     "auftrag",
    "rechnung",    "facture",      "factura",     "fattura",      "factuur",
    "booking",     "confirmation", "reserv",      "case",         "vorgang",
    "ordine",      "encomenda",    "dossier",     "kundennummer", "customer number",
    "tx id",       "tx-id"};
constexpr auto kNotCardIndex = index_words(kNotCardWords);

bool card_digits_ok(const std::string& digits) {
  return internal::luhn_valid(digits) && internal::card_issuer_valid(digits);
}

// Groups of a digit run split by single spaces, dashes or dots. The whole run is a card, or it
// is tiled by cards (two cards in a row), or -- when the run is not one long 4-digit grouping
// such as a USPS tracking number -- a conventionally grouped card inside it is taken.
void find_cards(std::string_view text, size_t begin, size_t end, size_t order,
                std::vector<Candidate>& out) {
  // An id word only vouches for one unbroken run of digits: a number grouped like a card
  // ("refund 4111 1111 1111 1111") is checked as one whatever precedes it.
  const bool one_run = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                   text.begin() + static_cast<std::ptrdiff_t>(end), is_digit);
  const bool negative = one_run && contains_any(window_before(text, begin, 24), kNotCardIndex, 5) &&
                        !contains_any(window_before(text, begin, 24), kCardIndex);
  if (negative || extends_number(text, begin, end, " -.")) {
    return;
  }
  std::vector<DigitGroup> groups;
  for (size_t i = begin; i < end;) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < end && is_digit(text[j])) {
      ++j;
    }
    groups.push_back({i, j});
    i = j;
  }
  auto digits_in = [&](size_t first, size_t last) {
    return digits_of(text.substr(groups[first].begin, groups[last].end - groups[first].begin));
  };
  auto emit = [&](size_t first, size_t last) {
    const size_t b = groups[first].begin;
    const size_t e = groups[last].end;
    out.push_back({{PiiType::kCard, b, e, digits_in(first, last)}, order});
  };
  const size_t n = groups.size();
  if (n == 0 || n > 64) {
    return;
  }
  std::string all = digits_in(0, n - 1);
  if (all.size() <= 19 && card_digits_ok(all)) {
    emit(0, n - 1);
    return;
  }
  // Tiling: reach[i] = the group where the tile ending before group i starts (+1), 0 if none.
  std::vector<size_t> reach(n + 1, 0);
  reach[0] = 1;
  for (size_t i = 0; i < n; ++i) {
    if (reach[i] == 0) {
      continue;
    }
    for (size_t j = i; j < n && j < i + 8; ++j) {
      std::string d = digits_in(i, j);
      if (d.size() > 19) {
        break;
      }
      if (d.size() >= 13 && reach[j + 1] == 0 && card_digits_ok(d)) {
        reach[j + 1] = i + 1;
      }
    }
  }
  if (reach[n] != 0) {
    for (size_t e = n; e > 0;) {
      const size_t s = reach[e] - 1;
      emit(s, e - 1);
      e = s;
    }
    return;
  }
  const bool long_fours =
      n >= 5 && std::all_of(groups.begin(), groups.end() - 1,
                            [](const DigitGroup& g) { return g.end - g.begin == 4; });
  if (long_fours) {
    return;
  }
  for (size_t first = 0; first < n; ++first) {
    for (size_t last = std::min(n - 1, first + 5) + 1; last-- > first;) {
      GroupLengths lengths;
      for (size_t k = first; k <= last; ++k) {
        lengths.push_back(groups[k].end - groups[k].begin);
      }
      const bool conventional =
          lengths_are(lengths, {4, 4, 4, 4}) || lengths_are(lengths, {4, 6, 5}) ||
          lengths_are(lengths, {4, 6, 4}) || lengths_are(lengths, {4, 4, 4, 4, 3}) ||
          (lengths.size() == 1 && lengths[0] >= 13 && lengths[0] <= 19);
      if (conventional && card_digits_ok(digits_in(first, last))) {
        emit(first, last);
        first = last;
        break;
      }
    }
  }
}

// ---- the other checks ---------------------------------------------------------------------------

bool has_classes(std::string_view value, int wanted) {
  bool lower_case = false, upper_case = false, digit = false, other = false;
  for (char c : value) {
    if (std::islower(static_cast<unsigned char>(c))) {
      lower_case = true;
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      upper_case = true;
    } else if (is_digit(c)) {
      digit = true;
    } else {
      other = true;
    }
  }
  return int{lower_case} + int{upper_case} + int{digit} + int{other} >= wanted;
}

// A random token mixes cases or carries digits; "ThisIsAnExample" or "correct-horse" does not.
bool has_digit_or_mixed(std::string_view value) {
  return std::any_of(value.begin(), value.end(), is_digit) || has_classes(value, 3);
}

// "::", "a:b:c" or "12:30:45" parse or nearly parse as IPv6; an address has at least three
// groups, or two with one of four hex digits holding a digit ("fe80::1").
bool ipv6_plausible(std::string_view value) {
  size_t groups = 0;
  bool strong = false;
  size_t i = 0;
  while (i < value.size()) {
    size_t j = i;
    while (j < value.size() && value[j] != ':') {
      ++j;
    }
    if (j > i) {
      ++groups;
      const std::string_view g = value.substr(i, j - i);
      strong = strong || (g.size() == 4 && std::any_of(g.begin(), g.end(), is_digit)) ||
               g.find('.') != std::string_view::npos;
    }
    i = j + 1;
  }
  return groups >= 3 || (groups == 2 && strong);
}

// Capitalised words that follow "I'm" or "this is" without being a name: teams and products
// ("This is Customer Service"), feelings and title-case filler ("I'm Not Sure").
constexpr std::string_view kNotNameWords[] = {
    "account",   "admin",      "agent",     "ai",       "assistant", "bank",     "billing",
    "bot",       "business",   "care",      "center",   "centre",    "chat",     "company",
    "customer",  "department", "desk",      "support",  "service",   "services", "team",
    "technical", "tech",       "sales",     "security", "manager",   "office",   "help",
    "helpdesk",  "online",     "premium",   "pro",      "plus",      "order",    "invoice",
    "not",       "very",       "so",        "really",   "just",      "still",    "sorry",
    "happy",     "glad",       "sure",      "here",     "back",      "calling",  "writing",
    "trying",    "looking",    "having",    "going",    "the",       "a",        "an",
    "your",      "our",        "my",        "this",     "that",      "new",      "from",
    "in",        "on",         "at",        "with",     "and",       "or",       "of",
    "monday",    "tuesday",    "wednesday", "thursday", "friday",    "saturday", "sunday",
    "january",   "february",   "march",     "april",    "may",       "june",     "july",
    "august",    "september",  "october",   "november", "december",  "ok",       "okay",
    "thanks",    "thank",      "hello",     "hi",       "dear",      "mr",       "mrs",
    "ms",        "dr",         "street",    "road",     "avenue",    "api",      "app",
    "apple",     "google",     "microsoft", "amazon",   "windows",   "iphone",   "android",
    "chatgpt",   "openai",     "gpt",       "claude",   "english",   "german",   "french",
    "spanish",   "italian",    "dutch",     "kunde",    "kundin",    "neukunde", "cliente",
    "klant",     "neu",        "nouveau",   "nouvelle", "nuevo",     "nueva",    "nuovo",
    "nuova",     "novo",       "nova",      "nieuw"};

// Words that make a capitalised phrase a team, a department, a product or a plan, not a person:
// "Regards,\nSupport Team", "Ihr Acme Service-Team", "L'équipe Support", "Name: Premium Plan".
// Also states that follow "I'm" or "my name is" ("Locked Out", "Spelled wrong").
constexpr std::string_view kTeamWords[] = {
    "team",        "teams",          "prime",       "amazon",     "google",     "microsoft",
    "paypal",      "corp",           "corporation", "company",    "department", "dept",
    "care",        "service",        "services",    "support",    "desk",       "helpdesk",
    "help",        "success",        "management",  "processing", "billing",    "sales",
    "marketing",   "operations",     "ops",         "it",         "hr",         "customer",
    "customers",   "client",         "clients",     "staff",      "crew",       "group",
    "admin",       "administration", "accounts",    "finance",    "legal",      "compliance",
    "security",    "technical",      "tech",        "shipping",   "logistics",  "returns",
    "refunds",     "orders",         "order",       "account",    "membership", "subscription",
    "plan",        "product",        "premium",     "plus",       "pro",        "platinum",
    "business",    "family",         "basic",       "office",     "center",     "centre",
    "hotline",     "helpline",       "inc",         "ltd",        "llc",        "gmbh",
    "the",         "your",           "our",         "ihr",        "ihre",       "euer",
    "votre",       "notre",          "het",         "l'équipe",   "l’équipe",   "équipe",
    "equipe",      "equipo",         "equipa",      "squadra",    "abteilung",  "afdeling",
    "servicio",    "atención",       "soporte",     "suporte",    "assistenza", "servizio",
    "atendimento", "kundendienst",   "klanten",     "not",        "locked",     "out",
    "spelled",     "misspelled",     "wrong",       "stuck",      "unable",     "blocked",
    "done",        "back",           "again",       "important"};
// Compounds that end in a team word: "Kundenservice", "Klantenservice", "Serviceteam".
constexpr std::string_view kTeamSuffixes[] = {"service", "support", "team", "dienst", "desk"};

bool is_team_word(std::string_view word) {
  if (std::find(std::begin(kTeamWords), std::end(kTeamWords), word) != std::end(kTeamWords)) {
    return true;
  }
  return std::any_of(std::begin(kTeamSuffixes), std::end(kTeamSuffixes), [&](std::string_view s) {
    return word.size() > s.size() && word.ends_with(s);
  });
}

// No word of the phrase (split at spaces and hyphens) is a team, product or state word.
bool looks_like_person(std::string_view value) {
  size_t start = 0;
  while (start < value.size()) {
    size_t end = value.find_first_of(" -", start);
    end = end == std::string_view::npos ? value.size() : end;
    if (is_team_word(lower(value.substr(start, end - start)))) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

// "Product Name: ...", "Plan Name: ...": a field label whose qualifier names a thing. `begin` is
// where the value starts; the label is the word before the ':' in front of it.
constexpr std::string_view kThingFieldWords[] = {
    "product",      "plan",     "company",      "business", "file",     "device",   "network",
    "wifi",         "store",    "shop",         "brand",    "host",     "project",  "app",
    "item",         "package",  "model",        "team",     "group",    "org",      "organisation",
    "organization", "domain",   "server",       "bank",     "street",   "city",     "course",
    "event",        "venue",    "hotel",        "pet",      "screen",   "channel",  "workspace",
    "tier",         "service",  "subscription", "campaign", "job",      "task",     "printer",
    "router",       "database", "table",        "field",    "column",   "folder",   "document",
    "template",     "promo",    "coupon",       "vendor",   "merchant", "supplier", "produkt",
    "produit",      "producto", "prodotto"};

bool thing_field_label(std::string_view text, size_t begin) {
  size_t pos = begin;
  auto skip = [&](std::string_view chars) {
    while (pos > 0 && chars.find(text[pos - 1]) != std::string_view::npos) {
      --pos;
    }
  };
  auto word_before = [&] {
    size_t start = pos;
    while (start > 0 && is_word_byte(text[start - 1])) {
      --start;
    }
    std::string word = lower(text.substr(start, pos - start));
    pos = start;
    return word;
  };
  skip(" \t");
  if (pos == 0 || text[pos - 1] != ':') {
    return false;
  }
  --pos;
  skip(" \t");
  word_before();  // the label itself: Name, Nombre, Nom ...
  skip(" \t_-");
  const std::string qualifier = word_before();
  return std::find(std::begin(kThingFieldWords), std::end(kThingFieldWords), qualifier) !=
         std::end(kThingFieldWords);
}

bool looks_like_introduced_name(std::string_view value) {
  size_t start = 0;
  while (start < value.size()) {
    size_t end = value.find_first_of(" -", start);
    end = end == std::string_view::npos ? value.size() : end;
    const std::string word = lower(value.substr(start, end - start));
    if (std::find(std::begin(kNotNameWords), std::end(kNotNameWords), word) !=
        std::end(kNotNameWords)) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

// Bytes in the UTF-8 sequence a lead byte starts (1 for ASCII and stray bytes).
size_t utf8_length(char lead) {
  const auto byte = static_cast<unsigned char>(lead);
  return byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
}

// The code point a UTF-8 text starts with; 0 for ASCII or a malformed sequence.
char32_t first_code_point(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  if (text.empty() || byte(0) < 0xC0) {
    return 0;
  }
  const size_t length = utf8_length(text[0]);
  if (text.size() < length) {
    return 0;
  }
  char32_t code_point = byte(0) & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      return 0;
    }
    code_point = code_point << 6 | (byte(i) & 0x3F);
  }
  return code_point;
}

// From here on, scripts that are written without spaces between words (Thai, Lao, Tibetan,
// Myanmar, CJK, kana, Hangul and their punctuation) -- Latin, Greek and Cyrillic come before.
constexpr char32_t kUnspacedScriptsFrom = 0x0E00;

// A code point the e-mail pattern takes as a letter beyond ASCII (its class ranges).
bool is_email_letter(char32_t c) {
  return (c >= 0xC0 && c <= 0x1FFF) || (c >= 0x2070 && c <= 0x209F) ||
         (c >= 0x20D0 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FFF) ||
         (c >= 0x3040 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFE) || (c >= 0xFF10 && c <= 0xFFEF) ||
         (c >= 0x10000 && c <= 0x1EFFF) || (c >= 0x1FB00 && c <= 0x10FFFF);
}

// Returns false when the candidate is not PII; otherwise fills span.end and span.normalized.
bool validate(Check check, std::string_view text, PiiSpan& span) {
  std::string_view value = text.substr(span.begin, span.end - span.begin);
  switch (check) {
    case Check::kEmail: {
      // Scripts written without spaces (Thai, Chinese, Japanese) glue the address to the words
      // around it: the local part starts after the last such letter before ASCII ones (below,
      // the top-level domain ends where its ASCII letters run on into them).
      size_t at = value.find('@');
      size_t start = 0;
      for (size_t i = 0; i < at;) {
        const size_t length = utf8_length(value[i]);
        if (first_code_point(value.substr(i)) >= kUnspacedScriptsFrom && i + length < at &&
            static_cast<unsigned char>(value[i + length]) < 0x80) {
          start = i + length;
        }
        i += length;
      }
      if (start > 0) {
        span.begin += start;
        value.remove_prefix(start);
        at -= start;
      }
      if (at == 0 || value.front() == '.' || value[at - 1] == '.') {
        return false;
      }
      // A top-level domain is ASCII or all in one other script, never both: ASCII letters
      // running on into an unspaced script end at the script change.
      const size_t dot = value.rfind('.');
      size_t ascii = dot + 1;
      while (ascii < value.size() && is_alpha(value[ascii])) {
        ++ascii;
      }
      if (ascii - (dot + 1) >= 2 && ascii < value.size() &&
          first_code_point(value.substr(ascii)) >= kUnspacedScriptsFrom) {
        span.end = span.begin + ascii;
        value = value.substr(0, ascii);
      } else if (span.end < text.size() &&
                 (is_alnum(text[span.end]) || text[span.end] == '_' ||
                  is_email_letter(first_code_point(text.substr(span.end))))) {
        // The top-level domain ends the word ("a@b.commerce" is not cut to "a@b.com"); a
        // closing quote, arrow or other symbol after it does not continue it.
        return false;
      }
      span.normalized = lower(value);
      return true;
    }
    case Check::kUrlCredentials:
    case Check::kSecretKeyword:
    case Check::kPassword: {
      // A password may end in '!' or '?'; redacting one character too many leaks nothing.
      span.end = check == Check::kPassword ? trim_trailing(text, span.begin, span.end, ".,;:)]}'\"")
                                           : trim_trailing(text, span.begin, span.end);
      value = text.substr(span.begin, span.end - span.begin);
      if (check == Check::kSecretKeyword &&
          (value.size() < 16 || internal::shannon_entropy(value) < 3.0 || !has_classes(value, 2) ||
           !has_digit_or_mixed(value))) {
        return false;
      }
      // A quoted value is a value even when it is one plain word: password = "hunter"; unquoted,
      // "password: reset" is prose.
      const bool quoted = span.begin > 0 && span.end < text.size() &&
                          (text[span.begin - 1] == '"' || text[span.begin - 1] == '\'') &&
                          text[span.end] == text[span.begin - 1];
      if (check == Check::kPassword && (value.size() < 4 || (!quoted && !has_classes(value, 2)))) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    }
    case Check::kSecretShape:
      span.normalized = std::string(value);
      return true;
    case Check::kPrivateKey:
      while (span.end > span.begin &&
             std::isspace(static_cast<unsigned char>(text[span.end - 1])) != 0) {
        --span.end;
      }
      span.normalized = std::string(text.substr(span.begin, span.end - span.begin));
      return true;
    case Check::kSsn: {
      if (extends_number(text, span.begin, span.end, "-")) {
        return false;
      }
      std::string digits = digits_of(value);
      if (!internal::ssn_valid(digits)) {
        return false;
      }
      span.normalized = std::move(digits);
      return true;
    }
    case Check::kIban: {
      std::string compact;
      size_t end = span.begin;
      std::optional<size_t> length;
      for (size_t i = span.begin; i < span.end; ++i) {
        // Printed in groups of four, split by spaces or dashes ("DE89-3704-0044-...").
        if (text[i] == ' ' || text[i] == '-') {
          continue;
        }
        compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i]))));
        end = i + 1;
        if (compact.size() == 2) {
          length = internal::iban_length(compact);
          if (!length) {
            return false;
          }
        }
        if (length && compact.size() == *length) {
          break;
        }
      }
      if (!length || compact.size() != *length || (end < text.size() && is_alnum(text[end]))) {
        return false;
      }
      if (!internal::iban_valid(compact)) {
        return false;
      }
      span.end = end;
      span.normalized = std::move(compact);
      return true;
    }
    case Check::kIpv4: {
      if (extends_number(text, span.begin, span.end, ".") || !internal::ipv4_valid(value)) {
        return false;
      }
      if (dotted_version_context(text, span.begin)) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    }
    case Check::kIpv6: {
      if ((span.begin > 0 && (is_alnum(text[span.begin - 1]) || text[span.begin - 1] == ':' ||
                              text[span.begin - 1] == '.' || text[span.begin - 1] == '-')) ||
          (span.end < text.size() &&
           (is_alnum(text[span.end]) || text[span.end] == ':' || text[span.end] == '-'))) {
        return false;
      }
      if (!ipv6_plausible(value)) {
        return false;
      }
      auto canonical = internal::ipv6_canonical(value);
      if (!canonical) {
        return false;
      }
      span.normalized = std::move(*canonical);
      return true;
    }
    case Check::kMac: {
      if (extends_number(text, span.begin, span.end, ":-.") ||
          (span.end + 1 < text.size() && (text[span.end] == ':' || text[span.end] == '-') &&
           std::isxdigit(static_cast<unsigned char>(text[span.end + 1])) != 0) ||
          (span.begin >= 2 && (text[span.begin - 1] == ':' || text[span.begin - 1] == '-') &&
           std::isxdigit(static_cast<unsigned char>(text[span.begin - 2])) != 0)) {
        return false;
      }
      std::string hex;
      bool letter = false;
      for (char c : value) {
        if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
          hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
          letter = letter || !is_digit(c);
        }
      }
      // The dotted Cisco form without a hex letter is more likely a number.
      if (value[4] == '.' && !letter) {
        return false;
      }
      span.normalized.clear();
      for (size_t i = 0; i < hex.size(); i += 2) {
        if (i > 0) {
          span.normalized.push_back(':');
        }
        span.normalized += hex.substr(i, 2);
      }
      return true;
    }
    case Check::kPassport:
    case Check::kDriverLicense: {
      // Extend over groups that carry digits; a trailing word ("and", "OK") is not the number.
      size_t end = span.begin;
      size_t alnum = 0;
      size_t digits = 0;
      size_t i = span.begin;
      while (i < span.end) {
        size_t j = i;
        size_t group_digits = 0;
        while (j < span.end && is_alnum(text[j])) {
          group_digits += is_digit(text[j]) ? 1 : 0;
          ++j;
        }
        if (i != span.begin && group_digits == 0) {
          break;
        }
        alnum += j - i;
        digits += group_digits;
        end = j;
        i = j + 1;
      }
      if (end < text.size() && is_alnum(text[end])) {
        return false;
      }
      const bool passport = check == Check::kPassport;
      if (alnum < (passport ? 6 : 5) || alnum > (passport ? 9 : 20) || digits < 2) {
        return false;
      }
      span.end = end;
      value = text.substr(span.begin, span.end - span.begin);
      span.normalized.clear();
      for (char c : value) {
        if (is_alnum(c)) {
          span.normalized.push_back(c);
        }
      }
      return true;
    }
    case Check::kIntroducedName:
      if (!looks_like_introduced_name(value) || !looks_like_person(value)) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    case Check::kPersonName:
      span.end = span.begin + trim_trailing(value, 0, value.size(), " \t.!");
      value = text.substr(span.begin, span.end - span.begin);
      if (!looks_like_person(value) || thing_field_label(text, span.begin)) {
        return false;
      }
      [[fallthrough]];
    case Check::kDateOfBirth:
      span.end = span.begin + trim_trailing(value, 0, value.size(), " \t");
      span.normalized = std::string(text.substr(span.begin, span.end - span.begin));
      return true;
    case Check::kAddress:
      span.end = span.begin + trim_trailing(value, 0, value.size(), " \t.,");
      span.normalized = std::string(text.substr(span.begin, span.end - span.begin));
      return true;
    case Check::kBech32:
      span.normalized = lower(value);
      if (!internal::bech32_valid(span.normalized)) {
        return false;
      }
      return true;
    case Check::kBase58:
      if (!internal::base58check_valid(value)) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    case Check::kEthereum:
      if (!internal::eth_address_valid(value)) {
        return false;
      }
      span.normalized = lower(value);
      return true;
    case Check::kPhone:
    case Check::kCard:
      return false;  // handled by find_phones / find_cards
  }
  return false;
}

}  // namespace

struct PiiDetector::Impl {
  match::PatternSet set;
  std::vector<Rule> rules;
  int token_id = -1;
};

PiiDetector::PiiDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PiiDetector::PiiDetector(PiiDetector&&) noexcept = default;
PiiDetector& PiiDetector::operator=(PiiDetector&&) noexcept = default;
PiiDetector::~PiiDetector() = default;

Result<PiiDetector> PiiDetector::create() {
  auto impl = std::make_unique<Impl>();
  for (const RuleSpec& spec : kRules) {
    Rule rule{spec};
    std::string full = spec.prefix != nullptr ? std::string(spec.prefix) + spec.value : spec.value;
    // Phone and card runs are found by hand-written scanners (internal::next_phone_run,
    // next_card_run); their patterns stay out of the set's DFA.
    match::PatternOptions options;
    options.spans_only = spec.check == Check::kPhone || spec.check == Check::kCard;
    auto id = impl->set.add(full, options);
    if (!id) {
      return fail(id.error());
    }
    rule.pattern_id = *id;
    if (spec.prefix != nullptr) {
      // Only used to find where the value starts inside a match of the whole rule.
      match::PatternOptions spans_only;
      spans_only.spans_only = true;
      auto prefix_id = impl->set.add(spec.prefix, spans_only);
      if (!prefix_id) {
        return fail(prefix_id.error());
      }
      rule.prefix_id = *prefix_id;
    }
    impl->rules.push_back(rule);
  }
  auto token_id = impl->set.add(R"(<[A-Z]{2,8}_[0-9a-f]{18}>)");
  if (!token_id) {
    return fail(token_id.error());
  }
  impl->token_id = *token_id;
  if (auto st = impl->set.compile(); !st) {
    return fail(st.error());
  }
  return PiiDetector(std::move(impl));
}

std::vector<PiiSpan> PiiDetector::detect(std::string_view text) const {
  // Most turns match no pattern of the set: the yes/no question stops at the first match and
  // allocates nothing; only then are the ids asked for.
  const std::vector<int> hits =
      impl_->set.matches_any(text) ? impl_->set.match(text) : std::vector<int>{};
  auto hit = [&](int id) { return std::binary_search(hits.begin(), hits.end(), id); };
  // Every phone and card match holds a digit at most two bytes after its start ("+(1"): the
  // scanners start there, and not at all in a text without digits.
  const size_t first_digit = internal::first_digit(text);
  const size_t scan_from = first_digit >= 2 ? first_digit - 2 : 0;

  std::vector<Candidate> candidates;
  for (size_t order = 0; order < impl_->rules.size(); ++order) {
    const Rule& rule = impl_->rules[order];
    if (rule.spec.check == Check::kPhone || rule.spec.check == Check::kCard) {
      // Digit runs come from the hand-written scanners, not from RE2.
      const bool phone = rule.spec.check == Check::kPhone;
      const auto next_run = phone ? internal::next_phone_run : internal::next_card_run;
      const auto find = phone ? find_phones : find_cards;
      for (auto r = next_run(text, first_digit < text.size() ? scan_from : text.size()); r;
           r = next_run(text, r->end)) {
        find(text, r->begin, r->end, order, candidates);
      }
      continue;
    }
    if (!hit(rule.pattern_id)) {
      continue;
    }
    for (auto m = impl_->set.find(rule.pattern_id, text); m;
         m = impl_->set.find(rule.pattern_id, text, m->end)) {
      PiiSpan span{rule.spec.type, m->begin, m->end, {}};
      if (rule.prefix_id >= 0) {
        // The value starts where the context words end.
        const std::string_view matched = text.substr(m->begin, m->end - m->begin);
        const auto prefix = impl_->set.find(rule.prefix_id, matched, 0, /*anchor_start=*/true);
        if (!prefix || prefix->end >= matched.size()) {
          continue;
        }
        span.begin = m->begin + prefix->end;
      }
      if (validate(rule.spec.check, text, span) && span.end > span.begin) {
        candidates.push_back({std::move(span), order, rule.prefix_id >= 0});
      }
    }
  }

  // Existing tokens are never re-redacted: a text redacted twice stays the same.
  std::vector<match::MatchSpan> tokens;
  if (hit(impl_->token_id)) {
    impl_->set.for_each_match(impl_->token_id, text,
                              [&](match::MatchSpan m) { tokens.push_back(m); });
  }

  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     const size_t la = a.span.end - a.span.begin;
                     const size_t lb = b.span.end - b.span.begin;
                     if (la != lb) {
                       return la > lb;
                     }
                     if (a.span.begin != b.span.begin) {
                       return a.span.begin < b.span.begin;
                     }
                     // Same span: a rule that needed context words knows better.
                     if (a.contextual != b.contextual) {
                       return a.contextual;
                     }
                     return a.order < b.order;
                   });
  // Non-overlapping intervals sorted by begin (a vector: one allocation, binary search; the
  // insertions move a few bytes): an overlap check is one lookup.
  std::vector<match::MatchSpan> taken;
  taken.reserve(tokens.size() + candidates.size());
  auto overlaps_taken = [&taken](size_t begin, size_t end) {
    auto next = std::lower_bound(
        taken.begin(), taken.end(), begin,
        [](const match::MatchSpan& t, size_t position) { return t.begin < position; });
    if (next != taken.end() && next->begin < end) {
      return true;
    }
    return next != taken.begin() && std::prev(next)->end > begin;
  };
  auto take = [&taken](size_t begin, size_t end) {
    auto at = std::lower_bound(
        taken.begin(), taken.end(), begin,
        [](const match::MatchSpan& t, size_t position) { return t.begin < position; });
    taken.insert(at, match::MatchSpan{begin, end});
  };
  for (const match::MatchSpan& t : tokens) {
    if (!overlaps_taken(t.begin, t.end)) {
      take(t.begin, t.end);
    }
  }
  std::vector<PiiSpan> accepted;
  for (Candidate& c : candidates) {
    if (!overlaps_taken(c.span.begin, c.span.end)) {
      take(c.span.begin, c.span.end);
      accepted.push_back(std::move(c.span));
    }
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
  return accepted;
}

}  // namespace convaudit::redaction
