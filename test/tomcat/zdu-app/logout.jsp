<%@ page session="false" trimDirectiveWhitespaces="true" contentType="application/json; charset=UTF-8" %><%--
  Logs out as servlet apps do: invalidate(). Tomcat then sets no cookie, so the browser keeps
  sending the dead session id.
--%><%@ include file="/WEB-INF/identity.jspf" %><%
    jakarta.servlet.http.HttpSession s = request.getSession(false);
    String ended = s == null ? null : s.getId();
    if (s != null) {
        s.invalidate();
    }
    out.print(identity(application, null, false, ",\"ended\":" + quoted(ended)));
%>
