"""Phrases that mark a line as outlet boilerplate, per kind, in the languages newslens reads.

Each kind lists lowercase phrases (matched on the casefolded line: at word boundaries in
scripts with spaces, anywhere in Chinese and Japanese). They are imperative or
self-referential forms ("follow us", "subscribe to our channel", "read also") rather than
bare topic words, so that a news sentence about Telegram or a newsletter is not taken for a
footer. A phrase starting with "~" is weak: it counts only in a short line that does not end
as a sentence does (a header such as "Most read", "Newsletter", "Kommentare"). Covered: every language of `config.DEFAULT_LANGUAGES` plus Hindi.
"""

from __future__ import annotations

PHRASES: dict[str, tuple[str, ...]] = {
    # Follow the outlet on a social network or messenger.
    "social": (
        "follow us", "follow our page", "follow our channel", "join us on", "join our channel", "join our telegram",
        "find us on", "like us on", "segui i nostri", "segui il nostro", "segui la nostra",
        "segui le nostre", "seguici", "seguiteci", "unisciti al nostro canale",
        "suivez-nous", "suivez nous", "rejoignez-nous", "retrouvez-nous", "folgen sie uns",
        "folge uns", "folgt uns", "síguenos", "siguenos", "únete a nuestro canal", "siga-nos",
        "sigam-nos", "volg ons", "obserwuj nas", "śledź nas", "dołącz do nas",
        "подписывайтесь на наш", "следите за нами", "присоединяйтесь к нам", "мы в telegram",
        "~наш telegram", "~наш канал", "підписуйтесь на наш", "слідкуйте за нами", "приєднуйтесь до нас",
        "~наш канал у", "падпісвайцеся на наш", "последвайте ни", "следвайте ни",
        "присъединете се към", "пратите нас", "zapratite nas", "sledujte nás", "sledujte nas",
        "urmăriți-ne", "urmariti-ne", "kövess minket", "kövessen minket", "ακολουθήστε μας",
        "bizi takip edin", "تابعونا", "تابعنا على", "עקבו אחרינו", "ما را دنبال کنید",
        "关注我们", "フォローしてください", "팔로우하세요", "följ oss", "følg os", "~følg med",
        "seuraa meitä", "हमें फॉलो करें", "हमसे जुड़ें", "हमारे चैनल से जुड़ें",
    ),
    # Subscribe to the outlet, its channel or its paper.
    "subscribe": (
        "subscribe to our", "subscribe now", "~subscribe to the", "subscribe for", "abbonati",
        "iscriviti al nostro", "iscriviti al canale", "abonnez-vous", "abonniere unseren", "abonnieren sie unseren", "abonnieren sie",
        "jetzt abonnieren", "suscríbete", "suscribete", "assine já", "assine a newsletter", "inscreva-se", "abonneer",
        "subskrybuj", "zasubskrybuj", "подпишитесь на наш", "подписывайтесь", "подписаться на",
        "підпишіться на", "підписуйтесь", "падпішыцеся", "абонирайте се", "абонирай се",
        "претплатите се", "předplaťte si", "odebírejte", "abonează-te", "abonați-vă",
        "iratkozzon fel", "iratkozz fel", "εγγραφείτε", "abone ol", "abone olun", "اشترك في",
        "اشترك الآن", "הירשמו", "عضو شوید", "订阅我们", "チャンネル登録", "구독하세요",
        "prenumerera", "abonnér på", "abonner på", "tilaa uutiskirje", "सब्सक्राइब करें",
        "हमारे चैनल को सब्सक्राइब",
    ),
    # Newsletter sign-up and unsubscribe lines.
    "newsletter": (
        "sign up for our newsletter", "sign up to our newsletter", "our newsletter",
        "unsubscribe", "to stop receiving", "iscriviti alla newsletter", "la nostra newsletter",
        "annulla l'iscrizione", "inscrivez-vous à notre newsletter", "notre newsletter",
        "se désabonner", "désinscrire", "unseren newsletter", "newsletter abonnieren",
        "hier abmelden", "nuestro boletín", "darse de baja", "nossa newsletter", "cancelar inscrição",
        "onze nieuwsbrief", "uitschrijven", "nasz newsletter", "zapisz się do newslettera",
        "wypisz się", "~рассылку", "отписаться", "~розсилку", "відписатися", "~бюлетин",
        "отпишете се", "~newsletter", "odhlásit", "dezabonare", "hírlevél", "leiratkozás",
        "ενημερωτικό δελτίο", "bültenimize", "النشرة البريدية", "ניוזלטר", "خبرنامه",
        "电子报", "メールマガジン", "뉴스레터", "nyhetsbrev", "nyhedsbrev", "uutiskirje",
        "न्यूज़लेटर",
    ),
    # Appeals for money.
    "donate": (
        "donate now", "donate today", "please donate", "support our work", "support independent journalism",
        "make a donation", "sostienici", "fai una donazione", "dona ora", "sostieni il nostro", "sostieni la nostra",
        "faites un don", "soutenez-nous", "soutenez notre", "jetzt spenden", "unterstützen sie uns",
        "unterstützen sie unsere", "spenden sie", "haz una donación", "apóyanos", "faça uma doação",
        "apoie o nosso", "apoie nosso", "doneer", "steun ons", "wesprzyj nas", "przekaż darowiznę", "wpłać darowiznę",
        "поддержите нас", "поддержать проект", "пожертвовать", "підтримайте нас", "підтримати проєкт",
        "задонатити", "падтрымайце нас", "подкрепете ни", "дарете сега", "подржите нас", "podpořte nás",
        "sprijiniți-ne", "donează", "támogass minket", "támogassa munkánkat", "υποστηρίξτε μας",
        "bağış yapın", "bizi destekleyin", "تبرع الآن", "ادعمونا", "תרמו", "حمایت کنید", "支持我们",
        "寄付をお願い", "후원하기", "stöd oss", "donera", "støt os", "tue meitä", "lahjoita",
        "सहयोग करें", "दान करें",
    ),
    # "Read more / read also" lead-ins and related-article headers.
    "read_more": (
        "read more", "read also", "also read", "related:", "see also", "continue reading",
        "leggi anche", "leggi tutto", "potrebbe interessarti", "lire aussi", "à lire aussi",
        "lire la suite", "voir aussi", "lesen sie auch", "auch interessant", "weiterlesen",
        "mehr zum thema", "lee también", "leer más", "te puede interesar", "leia também",
        "leia mais", "veja também", "lees ook", "lees meer", "czytaj także", "czytaj też",
        "czytaj więcej", "zobacz też", "читайте также", "читать далее", "по теме:",
        "читайте також", "читати далі", "на тему:", "чытайце таксама", "прочетете още",
        "още по темата", "вижте още", "прочитајте још", "pročitajte", "čtěte také", "čtěte též",
        "citește și", "citeste si", "olvasd el", "~ezt is", "διαβάστε επίσης", "διαβάστε ακόμα",
        "ayrıca okuyun", "devamını oku", "اقرأ أيضا", "اقرأ أيضًا", "קראו עוד", "קראו גם",
        "بیشتر بخوانید", "延伸阅读", "相关阅读", "関連記事", "あわせて読みたい", "관련 기사",
        "läs också", "läs mer", "læs også", "læs mere", "lue myös", "lue lisää", "यह भी पढ़ें",
        "ये भी पढ़ें", "इसे भी पढ़ें", "और पढ़ें",
    ),
    # "Most read / most popular" headers.
    "most_read": (
        "~most read", "~most popular", "~trending now", "~i più letti", "~più letti", "~più popolari",
        "~les plus lus", "~les plus populaires", "~meistgelesen", "~am meisten gelesen",
        "~lo más leído", "~más leídas", "~mais lidas", "~mais lidos", "~meest gelezen",
        "~najczęściej czytane", "~najpopularniejsze", "~самое читаемое", "~самые читаемые",
        "~популярное", "~найпопулярніше", "~найчитаніше", "~най-четени", "~най-четено",
        "~најчитаније", "~nejčtenější", "~cele mai citite", "~legolvasottabb", "~δημοφιλέστερα",
        "~en çok okunanlar", "~الأكثر قراءة", "~הנקראים ביותר", "~پربازدیدترین", "~最受欢迎",
        "~最多阅读", "~よく読まれている", "~많이 본 뉴스", "~mest läst", "~mest læste", "~luetuimmat",
        "~सबसे ज्यादा पढ़ी गई", "~सबसे लोकप्रिय",
    ),
    # Reader polls.
    "poll": (
        "take our poll", "cast your vote in our", "partecipa al sondaggio",
        "vota ora", "votez maintenant", "participez au sondage", "stimmen sie ab", "~umfrage:", "vota ahora",
        "participa en la encuesta", "vote agora", "participe da enquete", "stem nu!",
        "weź udział w sondzie", "zagłosuj", "примите участие в опросе", "проголосуйте",
        "візьміть участь в опитуванні", "~гласувайте", "участвайте в анкетата",
        "~гласајте", "~hlasujte", "~votați", "~szavazzon", "~ψηφίστε", "ankete katılın", "صوّت الآن",
        "~הצביעו", "~نظرسنجی", "参与投票", "アンケートにご協力", "~설문", "~rösta nu", "~äänestä",
        "पोल में हिस्सा लें", "वोट करें",
    ),
    # Comment invitations.
    "comment": (
        "post a comment", "leave a comment", "add a comment", "comments are closed",
        "lascia un commento", "laisser un commentaire", "laissez un commentaire",
        "kommentar schreiben", "~kommentare", "deja un comentario", "deixe um comentário",
        "deixe seu comentário", "laat een reactie achter", "dodaj komentarz", "skomentuj",
        "оставить комментарий", "оставьте комментарий", "залиште коментар", "~коментарі",
        "напишете коментар", "оставете коментар", "оставите коментар", "přidat komentář",
        "lasă un comentariu", "~hozzászólás", "σχολιάστε", "~yorum yap", "أضف تعليق", "הוסיפו תגובה",
        "نظر دهید", "发表评论", "コメントする", "~댓글", "kommentera", "skriv en kommentar",
        "~kommentoi", "कमेंट करें", "टिप्पणी करें", "अपनी राय दें",
    ),
    # Picture credits.
    "image_credit": (
        "photo:", "~photo by", "photo credit", "image:", "image credit", "pictured:", "foto:",
        "~foto di", "crediti foto", "photo :", "crédit photo", "bild:", "~foto von", "fotografía:",
        "imagen:", "fotografia:", "imagem:", "zdjęcie:", "~fot.", "фото:", "~фото ", "снимка:",
        "фотографија:", "snímek:", "fotó:", "φωτογραφία:", "fotoğraf:", "صورة:", "צילום:",
        "عکس:", "图片来源", "写真：", "사진=", "bild:", "kuva:", "फोटो:", "तस्वीर:",
    ),
    # Web-form validation notices left by scrapers.
    "form_notice": (
        "this field is required", "please enter a valid", "required fields are marked",
        "campo obbligatorio", "champ obligatoire", "pflichtfeld", "campo obligatorio",
        "campo obrigatório", "pole wymagane", "обязательное поле", "обов'язкове поле",
        "задължително поле", "povinné pole", "kötelező mező", "υποχρεωτικό πεδίο",
        "zorunlu alan", "必填", "必須項目", "필수 항목", "obligatoriskt fält", "आवश्यक फ़ील्ड",
    ),
    # Reuse and syndication permissions, copyright.
    "copyright": (
        "©", "all rights reserved", "riproduzione riservata", "tous droits réservés",
        "alle rechte vorbehalten", "todos los derechos reservados", "todos os direitos reservados",
        "alle rechten voorbehouden", "wszelkie prawa zastrzeżone", "все права защищены",
        "всі права захищені", "всички права запазени", "сва права задржана",
        "všechna práva vyhrazena", "toate drepturile rezervate", "minden jog fenntartva",
        "με την επιφύλαξη παντός δικαιώματος", "tüm hakları saklıdır", "جميع الحقوق محفوظة",
        "כל הזכויות שמורות", "کلیه حقوق", "版权所有", "無断転載", "무단 전재", "alla rättigheter",
        "alle rettigheder", "kaikki oikeudet", "सर्वाधिकार सुरक्षित", "this article may be reproduced",
        "may not be reproduced without", "republish this article", "reprinted with permission",
        "permission to reprint", "è consentita la riproduzione", "reproduction autorisée",
        "nachdruck nur mit", "se permite la reproducción", "перепечатка материалов",
        "при цитировании", "при використанні матеріалів", "при цитиране",
    ),
    # Pointers to the outlet's own site ("visit our site at https://...").
    "site_promo": (
        "visit our site", "visit our website", "visit us at", "visita il nostro sito",
        "visitez notre site", "besuchen sie unsere", "visita nuestra web", "visite nosso site",
        "bezoek onze", "odwiedź naszą stronę", "посетите наш сайт", "відвідайте наш сайт",
        "посетете нашия сайт", "navštivte naše", "vizitați site-ul", "látogasson el oldalunkra", "επισκεφθείτε την ιστοσελίδα μας",
        "sitemizi ziyaret", "زوروا موقعنا", "בקרו באתר", "از سایت ما", "访问我们的网站",
        "サイトはこちら", "~홈페이지", "besök vår", "besøg vores", "vieraile sivuillamme", "हमारी वेबसाइट",
        "our blog", "nostro blog", "notre blog", "unser blog", "nuestro blog", "nosso blog",
        "наш блог", "~наш сайт", "~нашия сайт",
    ),
}

# Platform names: a line made of little more than these (and links or handles) is boilerplate.
PLATFORMS = (
    "telegram", "facebook", "twitter", "x.com", "instagram", "youtube", "tiktok", "whatsapp",
    "vk", "vkontakte", "вконтакте", "одноклассники", "linkedin", "threads", "mastodon",
    "bluesky", "rumble", "odysee", "gab", "truth social", "rss", "viber", "signal", "wechat",
    "微博", "微信", "line", "kakaotalk", "dzen", "дзен", "яндекс.дзен",
)
