"""Writes messages in legacy charsets and transfer encodings with Python's `email` package (the
encoder), and prints what they say as JSON: the Swift parser must decode them back to the same
text. argv[1]: the folder to write msg_*.eml into."""
import json
import os
import sys
from email.header import Header
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.nonmultipart import MIMENonMultipart
import base64
import quopri
from email.mime.application import MIMEApplication

cases = [
    ('koi8-r', 'quoted-printable', 'Заказ не пришёл', 'Здравствуйте! Мой заказ 4471 так и не пришёл.\nСпасибо, Ольга', 'Ольга Смирнова'),
    ('koi8-r', 'base64', 'Счёт', 'Прошу выслать счёт ещё раз.', 'Иван'),
    ('iso-8859-1', 'quoted-printable', 'Réclamation', 'Bonjour, la facture est erronée. Merci à vous.', 'Hélène Dubois'),
    ('iso-8859-2', 'quoted-printable', 'Zamówienie', 'Dzień dobry, gdzie jest moja przesyłka? Łukasz', 'Łukasz Żak'),
    ('iso-8859-7', 'base64', 'Παραγγελία', 'Καλημέρα, η παραγγελία μου δεν έφτασε.', 'Νίκος'),
    ('iso-8859-15', 'quoted-printable', 'Prix en €', 'Le prix était 12 € et non 15 €.', 'Zoé'),
    ('windows-1250', 'quoted-printable', 'Objednávka', 'Dobrý den, objednávka č. 12 nedorazila.', 'Jiří Novák'),
    ('windows-1251', 'base64', 'Возврат', 'Верните деньги, пожалуйста.', 'Пётр'),
    ('windows-1252', 'quoted-printable', '“Quotes” – dash', 'It costs €20 – “not” £10…', 'Zoë'),
    ('windows-1257', 'quoted-printable', 'Pasūtījums', 'Labdien, mans pasūtījums nav saņemts.', 'Jānis Bērziņš'),
    ('gb2312', 'base64', '订单问题', '您好，我的订单还没有到。谢谢！', '王伟'),
    ('gb18030', 'base64', '发票', '请重新发送发票。', '李娜'),
    ('iso-2022-jp', '7bit', 'ご注文について', 'こんにちは。注文した商品がまだ届きません。', '山田太郎'),
    ('utf-7', '7bit', 'Grüße', 'Viele Grüße aus Köln – danke!', 'Jürgen'),
    ('utf-8', 'base64', 'Ünïcödé ✓', 'Sveiki! Rēķins nav pareizs. 你好 ✓', 'Līga Kalniņa'),
    ('big5', 'base64', '訂單', '您好，請問我的訂單何時到？', '陳'),
    ('shift_jis', 'base64', '請求書', '請求書を再送してください。', '佐藤'),
    ('euc-kr', 'base64', '주문', '주문한 상품이 아직 도착하지 않았습니다.', '김민수'),
]

out = {}
folder = sys.argv[1]
for n, (cs, cte, subject, body, name) in enumerate(cases):
    data = body.encode(cs)
    text = MIMENonMultipart('text', 'plain', charset=cs)
    if cte == 'base64':
        text.set_payload(base64.encodebytes(data).decode('ascii'))
    elif cte == 'quoted-printable':
        text.set_payload(quopri.encodestring(data).decode('ascii'))
    else:
        text.set_payload(data.decode('ascii'))
    text['Content-Transfer-Encoding'] = cte
    if n % 2 == 0:
        msg = text
    else:  # multipart/alternative with an HTML part and an attachment
        msg = MIMEMultipart('mixed')
        alt = MIMEMultipart('alternative')
        alt.attach(text)
        alt.attach(MIMEText('<p>' + body + '</p>', 'html', 'utf-8'))
        msg.attach(alt)
        att = MIMEApplication(b'%PDF-1.4 ' + bytes(range(256)) * 4, 'pdf')
        att.add_header('Content-Disposition', 'attachment', filename=('utf-8', '', 'счёт №%d.pdf' % n))
        msg.attach(att)
    msg['Subject'] = Header(subject, cs if cs not in ('utf-7',) else 'utf-8').encode()
    msg['From'] = '%s <customer%d@example.org>' % (Header(name, 'utf-8').encode(), n)
    msg['To'] = 'support@example.com'
    msg['Message-ID'] = '<legacy-%d@example.org>' % n
    file = 'msg_%02d_%s.eml' % (n, cs)
    with open(os.path.join(folder, file), 'wb') as f:
        f.write(msg.as_bytes())
    out[file] = {'subject': subject, 'body': body, 'from_name': name,
                 'attachment': ('счёт №%d.pdf' % n, 1033) if n % 2 else None}
json.dump(out, sys.stdout, ensure_ascii=False)
