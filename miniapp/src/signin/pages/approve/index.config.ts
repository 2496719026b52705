export default definePageConfig({ navigationBarTitleText: '网站登录确认' });
